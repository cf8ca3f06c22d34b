namespace Grains.Monitoring.Outcomes;

/// <summary>Outcome names as Sentry's API and Relay write them (<c>accepted</c>, <c>rate_limited</c> …).</summary>
public static class OutcomeNames
{
    private static readonly string[] Names = ["accepted", "filtered", "rate_limited", "invalid", "abuse", "client_discard", "cardinality_limited"];

    /// <summary>The lower-case name of <paramref name="outcome"/> (its number for an id this build does not know).</summary>
    public static string Of(OutcomeKind outcome) =>
        (uint)outcome < (uint)Names.Length ? Names[(int)outcome] : ((int)outcome).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a lower-case outcome name.</summary>
    public static bool TryParse(string? name, out OutcomeKind outcome)
    {
        var index = Array.IndexOf(Names, name);
        outcome = (OutcomeKind)Math.Max(index, 0);
        return index >= 0;
    }
}
