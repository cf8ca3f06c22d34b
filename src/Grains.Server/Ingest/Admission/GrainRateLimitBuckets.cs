using Grains.Monitoring.RateLimits;

namespace Grains.Server.Ingest.Admission;

/// <summary>Leases from <see cref="IRateLimitBucketGrain"/>s: one count per bucket for the whole cluster.</summary>
public sealed class GrainRateLimitBuckets(IGrainFactory grains) : IRateLimitBuckets
{
    /// <inheritdoc />
    public Task<LeaseGrant> AcquireAsync(string bucketKey, LeaseRequest request) =>
        grains.GetGrain<IRateLimitBucketGrain>(bucketKey).AcquireAsync(request);
}
