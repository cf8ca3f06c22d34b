namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// Sentry's match operators of the tagged event and event attribute filters, over the event's values
/// for a key and the rule's value, both compared lower-cased (<c>match_values</c>).
/// </summary>
internal static class ValueMatch
{
    /// <summary>The operators with their labels, in Sentry's order.</summary>
    public static IReadOnlyList<(string Id, string Label)> Operators { get; } =
    [
        ("eq", "equals"),
        ("ne", "does not equal"),
        ("sw", "starts with"),
        ("nsw", "does not start with"),
        ("ew", "ends with"),
        ("new", "does not end with"),
        ("co", "contains"),
        ("nc", "does not contain"),
        ("is", "is set"),
        ("ns", "is not set"),
        ("in", "is in"),
        ("nin", "is not in"),
    ];

    /// <summary>Operators that take no value.</summary>
    public static bool IsPresence(string match) => match is "is" or "ns";

    public static bool Matches(string match, IReadOnlyList<string> values, string value)
    {
        var v = value.ToLowerInvariant();
        var lowered = values.Select(x => x.ToLowerInvariant());
        return match switch
        {
            "eq" => lowered.Contains(v),
            "ne" => !lowered.Contains(v),
            "sw" => lowered.Any(x => x.StartsWith(v, StringComparison.Ordinal)),
            "nsw" => !lowered.Any(x => x.StartsWith(v, StringComparison.Ordinal)),
            "ew" => lowered.Any(x => x.EndsWith(v, StringComparison.Ordinal)),
            "new" => !lowered.Any(x => x.EndsWith(v, StringComparison.Ordinal)),
            "co" => lowered.Any(x => x.Contains(v, StringComparison.Ordinal)),
            "nc" => !lowered.Any(x => x.Contains(v, StringComparison.Ordinal)),
            "is" => values.Count > 0,
            "ns" => values.Count == 0,
            "in" => lowered.Any(List(v).Contains),
            "nin" => !lowered.Any(List(v).Contains),
            _ => false,
        };
    }

    // Sentry removes spaces and splits on commas.
    private static HashSet<string> List(string value) => [.. value.Replace(" ", "", StringComparison.Ordinal).Split(',')];
}
