namespace Grains.Monitoring.Alerts.Rules;

/// <summary>How a rule combines its conditions (<c>actionMatch</c>) or filters (<c>filterMatch</c>).</summary>
public static class RuleMatch
{
    public const string All = "all";

    public const string Any = "any";

    public const string None = "none";

    /// <summary>The accepted values, in Sentry's order.</summary>
    public static IReadOnlyList<string> Choices { get; } = [All, Any, None];

    /// <summary>
    /// Combines results as Sentry does: all (true when empty), any (false when empty), none (no result holds).
    /// The results are produced lazily, so "all" stops at the first false and "any" at the first true.
    /// </summary>
    public static bool Combine(string match, IEnumerable<bool> results) => match switch
    {
        Any => results.Any(r => r),
        None => !results.Any(r => r),
        _ => results.All(r => r),
    };
}
