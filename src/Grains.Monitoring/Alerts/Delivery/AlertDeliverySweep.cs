using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// Every silo, every <see cref="AlertDeliveryOptions.SweepPeriod"/>: wakes the deliverer of each project
/// with a due delivery or an unexpanded firing (firings recorded before a crash, retries whose timer
/// died with its activation), and prunes delivered rows older than <see cref="AlertDeliveryOptions.Retention"/>
/// about once an hour. Waking a busy deliverer costs one one-way message; the grain runs one pass at a time.
/// </summary>
public sealed class AlertDeliverySweep(
    IAlertDeliveryStore store,
    IGrainFactory grains,
    IOptions<AlertDeliveryOptions> options,
    ILogger<AlertDeliverySweep> logger,
    TimeProvider? time = null) : BackgroundService
{
    private const int MaxProjectsPerSweep = 10_000;
    private static readonly TimeSpan PrunePeriod = TimeSpan.FromHours(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastPrune = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(options.Value.SweepPeriod, _time);
        do
        {
            try
            {
                var now = _time.GetUtcNow();
                foreach (var project in await store.ProjectsDueAsync(now, MaxProjectsPerSweep, stoppingToken).ConfigureAwait(false))
                {
                    await grains.GetGrain<IAlertDelivererGrain>(project).WakeAsync().ConfigureAwait(false);
                }

                if (now - lastPrune >= PrunePeriod)
                {
                    await store.PruneAsync(now - options.Value.Retention, stoppingToken).ConfigureAwait(false);
                    lastPrune = now;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Before the silo has started, or with the database away: the next sweep tries again.
                AlertDeliveryLog.SweepFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
