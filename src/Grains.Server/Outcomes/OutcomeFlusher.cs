using Grains.Monitoring.Outcomes;
using Microsoft.Extensions.Options;

namespace Grains.Server.Outcomes;

/// <summary>
/// Writes the <see cref="OutcomeAggregator"/>'s counts every <see cref="OutcomeOptions.FlushInterval"/>,
/// and once more when the host stops (after the web server, which stops first, has answered its last
/// request), so a clean shutdown loses no counts.
/// </summary>
public sealed partial class OutcomeFlusher(OutcomeAggregator aggregator, IOptions<OutcomeOptions> options, TimeProvider time, ILogger<OutcomeFlusher> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await aggregator.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogAbandoned(logger, aggregator.PendingBatches);
        }
        catch (Exception exception)
        {
            // Kept pending with its id: the next flush retries it, and the store skips it if it did commit.
            LogFailed(logger, exception, aggregator.PendingBatches);
        }
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Writing outcomes failed; {PendingBatches} batch(es) kept for the next flush")]
    private static partial void LogFailed(ILogger logger, Exception exception, int pendingBatches);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "Stopped before the outcomes were written; {PendingBatches} batch(es) not written")]
    private static partial void LogAbandoned(ILogger logger, int pendingBatches);
}
