namespace Grains.Monitoring.Search;

/// <summary>What a search value holds.</summary>
public enum SearchValueKind
{
    /// <summary>A word or quoted string, possibly with <c>*</c> wildcards.</summary>
    Text,

    /// <summary>A non-negative integer (<c>timesSeen:&gt;100</c>).</summary>
    Number,

    /// <summary>An absolute time (<c>firstSeen:&gt;2024-01-01</c>).</summary>
    Date,

    /// <summary>A time relative to the query's "now" (<c>age:-24h</c>, <c>lastSeen:+7d</c>).</summary>
    Relative,
}
