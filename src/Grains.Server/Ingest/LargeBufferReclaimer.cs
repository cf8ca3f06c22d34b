using Grains.Ingestion.Body;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest;

/// <summary>
/// Keeps the garbage of large request bodies bounded and returns it to the system after a burst.
/// Bodies above 1 MiB are plain arrays (see <c>DecodedOutput</c>), garbage once the request ends; the
/// inflation budget bounds the live ones, but the GC collects the large object heap only when its
/// own budget (sized for the whole machine) runs out, and not at all while the server is idle.
/// So: during a burst, once the released large buffers since the last collection pass the inflation
/// budget (256 MiB at most), a background collection frees them (garbage never exceeds about one budget); after the
/// burst, when no large buffer has been released for <see cref="IngestMemoryOptions.ReclaimAfterIdle"/>
/// (small events may still flow), one aggressive collection compacts the heap and returns the memory.
/// </summary>
public sealed class LargeBufferReclaimer(InflationBudget budget, IOptions<IngestMemoryOptions> options, TimeProvider time, ILogger<LargeBufferReclaimer> logger) : BackgroundService
{
    // Large garbage allowed to pile up during a burst before a background collection.
    private const long MaxGarbageBytes = 256L * 1024 * 1024;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var collected = budget.LargeBytesReleased;
        var reclaimed = collected;
        var lastReleased = collected;
        var quietSince = time.GetTimestamp();
        using var timer = new PeriodicTimer(Poll, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var released = budget.LargeBytesReleased;
                if (released != lastReleased)
                {
                    lastReleased = released;
                    quietSince = time.GetTimestamp();
                    if (released - collected >= Math.Min(budget.MaxBytes, MaxGarbageBytes))
                    {
                        // Background (concurrent) gen 2: frees the large object heap without pausing requests.
                        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);
                        collected = released;
                    }

                    continue;
                }

                if (released - reclaimed < settings.ReclaimThresholdBytes || time.GetElapsedTime(quietSince) < settings.ReclaimAfterIdle)
                {
                    continue;
                }

                var before = GC.GetTotalMemory(forceFullCollection: false);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                (reclaimed, collected) = (released, released);
                logger.LogInformation("Returned memory after a burst of large request bodies: managed heap {Before} -> {After} bytes", before, GC.GetTotalMemory(forceFullCollection: false));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
