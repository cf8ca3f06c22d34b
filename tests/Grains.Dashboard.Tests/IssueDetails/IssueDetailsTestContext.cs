using Microsoft.Extensions.DependencyInjection;

namespace Grains.Dashboard.Tests.IssueDetails;

/// <summary>
/// The dashboard's bUnit context with a clock (times show relative to it), disposed asynchronously:
/// MudBlazor's inputs register services that only implement <see cref="IAsyncDisposable"/>, which a
/// synchronous container disposal refuses.
/// </summary>
public abstract class IssueDetailsTestContext : DashboardTestContext, IAsyncLifetime
{
    protected IssueDetailsTestContext() => Services.AddSingleton(TimeProvider.System);

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
