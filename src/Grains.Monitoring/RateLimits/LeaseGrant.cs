namespace Grains.Monitoring.RateLimits;

/// <summary>
/// The budget a bucket handed out: <see cref="Granted"/> items (0 when the window's limit is used up)
/// that the edge may spend until <see cref="WindowEnd"/> (Unix seconds on the bucket's clock, which
/// was <see cref="Now"/> when it granted: the edge measures the time left, not its own clock's
/// distance to the end, so silos whose clocks disagree still spend a lease only within its window),
/// and the window's count after the grant.
/// </summary>
[GenerateSerializer, Immutable, Alias("Grains.Monitoring.RateLimits.LeaseGrant")]
public sealed record LeaseGrant(
    [property: Id(0)] long Granted,
    [property: Id(1)] long WindowEnd,
    [property: Id(2)] long Used,
    [property: Id(3)] long Now);
