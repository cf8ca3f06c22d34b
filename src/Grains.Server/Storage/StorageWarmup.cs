using Grains.Monitoring.Storage;

namespace Grains.Server.Storage;

/// <summary>
/// Creates the monitoring stores when the host starts, before the silo and the web server do.
/// </summary>
/// <remarks>
/// A store's constructor may migrate its tables (SQLite migrates through the one writer queue and
/// waits for it). Left to the first use, that happened inside the web server's start (building the
/// middleware) and inside grain activations, under the container's singleton lock: after a crash with
/// a stream backlog every activation queued on that lock and the HTTP edge listened only once the
/// migration's write got through. The host resolves every hosted service before starting any, so
/// taking the stores here migrates them while nothing else runs.
/// </remarks>
public sealed class StorageWarmup : IHostedService
{
    /// <summary>Takes the stores so that the container creates them now.</summary>
    public StorageWarmup(IEventStore events, IIssueStore issues, IDirectoryStore directory, IItemStore items)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(items);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
