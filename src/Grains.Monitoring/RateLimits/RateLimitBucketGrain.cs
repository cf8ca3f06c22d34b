namespace Grains.Monitoring.RateLimits;

/// <inheritdoc cref="IRateLimitBucketGrain"/>
/// <remarks>
/// The count lives in memory, as Relay keeps it in Redis with an expiry: a window is seconds to a day,
/// and a bucket that loses its count (its silo died) starts its window again, admitting at most one
/// more window's limit once. The activation is kept until its window ends, so idle collection does not
/// reset a count that edges still rely on.
/// </remarks>
public sealed class RateLimitBucketGrain(TimeProvider time) : Grain, IRateLimitBucketGrain
{
    private readonly FixedWindowCounter _counter = new();

    public Task<LeaseGrant> AcquireAsync(LeaseRequest request)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var grant = _counter.Acquire(request, now);
        var remaining = TimeSpan.FromSeconds(Math.Max(1, grant.WindowEnd - now));
        DelayDeactivation(remaining);
        RateLimitInstruments.Grants.Add(grant.Granted);
        return Task.FromResult(grant);
    }
}
