namespace Grains.Monitoring.Outcomes;

/// <summary>What became of an item, with Relay's outcome ids (the numbers stored and served by stats_v2).</summary>
public enum OutcomeKind
{
    Accepted = 0,
    Filtered = 1,
    RateLimited = 2,
    Invalid = 3,
    Abuse = 4,
    ClientDiscard = 5,
    CardinalityLimited = 6,
}
