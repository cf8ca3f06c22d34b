using Grains.Monitoring.RateLimits;
using Grains.Server.Ingest.Admission;

namespace Grains.Server.Tests.RateLimits;

/// <summary>Buckets as the grains keep them (one counter per key, on the bucket's own clock), counting calls.</summary>
internal sealed class CountingBuckets(ManualClock clock) : IRateLimitBuckets
{
    private readonly Dictionary<string, FixedWindowCounter> _counters = [];

    public int Calls { get; private set; }

    /// <summary>Seconds a grant takes to reach the edge: it is computed as of that long ago.</summary>
    public long LatencySeconds { get; set; }

    public Task<LeaseGrant> AcquireAsync(string bucketKey, LeaseRequest request)
    {
        lock (_counters)
        {
            Calls++;
            if (!_counters.TryGetValue(bucketKey, out var counter))
            {
                _counters[bucketKey] = counter = new FixedWindowCounter();
            }

            return Task.FromResult(counter.Acquire(request, clock.Now - LatencySeconds));
        }
    }
}
