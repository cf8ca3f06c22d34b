namespace Grains.Monitoring.RateLimits;

/// <summary>
/// An edge's request for budget: the quota's current limit and window (the caller's configuration
/// wins, so a changed quota takes effect with the next request) and how many items it wants.
/// </summary>
[GenerateSerializer, Immutable, Alias("Grains.Monitoring.RateLimits.LeaseRequest")]
public sealed record LeaseRequest(
    [property: Id(0)] long Limit,
    [property: Id(1)] long WindowSeconds,
    [property: Id(2)] long OrganizationId,
    [property: Id(3)] long Wanted);
