using Grains.Monitoring.RateLimits;

namespace Grains.Server.Ingest.Admission;

/// <summary>Where leases come from: the bucket grains in a silo, a counter in unit tests.</summary>
public interface IRateLimitBuckets
{
    /// <summary>Asks the bucket <paramref name="bucketKey"/> for budget.</summary>
    Task<LeaseGrant> AcquireAsync(string bucketKey, LeaseRequest request);
}
