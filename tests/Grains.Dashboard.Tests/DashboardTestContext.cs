using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Grains.Dashboard.Tests;

/// <summary>A bUnit context with MudBlazor's services and loose JS interop (MudBlazor calls JS the tests need not answer).</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    protected DashboardTestContext()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // xunit 2 disposes a test class synchronously, but MudBlazor's services (popovers, selects) are only
    // IAsyncDisposable: dispose the context asynchronously first (the later Dispose then has nothing left to do).
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Renders MudBlazor's providers (popovers, dialogs) that menus and dialogs need.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();
}
