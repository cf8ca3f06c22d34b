namespace Grains.Monitoring.RateLimits;

/// <summary>
/// One rate-limit bucket (key: <see cref="Quota.BucketKey"/>, i.e. scope, scope id, categories and
/// quota id): the single owner of the quota's count in the current fixed window, for every silo of
/// the cluster. Edges do not call it per item: they lease a slice of the budget and spend it locally.
/// </summary>
[Alias("Grains.Monitoring.RateLimits.IRateLimitBucketGrain")]
public interface IRateLimitBucketGrain : IGrainWithStringKey
{
    /// <summary>Grants up to <see cref="LeaseRequest.Wanted"/> items of the current window's remaining budget.</summary>
    [Alias("Acquire")]
    Task<LeaseGrant> AcquireAsync(LeaseRequest request);
}
