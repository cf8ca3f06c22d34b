using Grains.Ingestion.Body;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest;

/// <summary>
/// Returns the memory of large request bodies to the system once a burst is over. Bodies above 1 MiB
/// are plain arrays (see <c>DecodedOutput</c>), garbage once the request ends; but the GC runs only
/// when something allocates, so an idle server would keep a burst's gigabytes resident indefinitely.
/// When no large buffer has been released for <see cref="IngestMemoryOptions.ReclaimAfterIdle"/> (the
/// burst is over; small events may still flow) and enough were released since the last time, one
/// aggressive (compacting, decommitting) collection gives them back. It runs at most once per burst.
/// </summary>
public sealed class IdleMemoryReclaimer(InflationBudget budget, IOptions<IngestMemoryOptions> options, TimeProvider time, ILogger<IdleMemoryReclaimer> logger) : BackgroundService
{
    /// <summary>Collections made since start.</summary>
    public int Reclaims { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var reclaimed = budget.LargeBytesReleased;
        var lastReleased = reclaimed;
        var quietSince = time.GetTimestamp();
        using var timer = new PeriodicTimer(settings.ReclaimAfterIdle / 5, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var released = budget.LargeBytesReleased;
                if (released != lastReleased)
                {
                    lastReleased = released;
                    quietSince = time.GetTimestamp();
                    continue;
                }

                if (released - reclaimed < settings.ReclaimThresholdBytes || time.GetElapsedTime(quietSince) < settings.ReclaimAfterIdle)
                {
                    continue;
                }

                var before = GC.GetTotalMemory(forceFullCollection: false);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                reclaimed = released;
                Reclaims++;
                logger.LogInformation("Returned memory after a burst of large request bodies: managed heap {Before} -> {After} bytes", before, GC.GetTotalMemory(forceFullCollection: false));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
