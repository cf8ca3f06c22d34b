namespace Grains.Dashboard.Tests.Settings;

/// <summary>
/// The dashboard test context, disposed asynchronously: MudBlazor's menus and popovers register services
/// that only implement <see cref="IAsyncDisposable"/>, which a synchronous dispose of the container refuses.
/// </summary>
public abstract class SettingsTestContext : DashboardTestContext, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
