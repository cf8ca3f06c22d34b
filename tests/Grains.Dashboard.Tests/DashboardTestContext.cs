using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Grains.Dashboard.Tests;

/// <summary>A bUnit context with MudBlazor's services and loose JS interop (MudBlazor calls JS the tests need not answer).</summary>
public abstract class DashboardTestContext : BunitContext
{
    protected DashboardTestContext()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    /// <summary>Renders MudBlazor's providers (popovers, dialogs) that menus and dialogs need.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();
}
