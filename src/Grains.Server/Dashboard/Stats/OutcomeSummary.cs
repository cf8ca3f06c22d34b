using System.Globalization;
using System.Text.Json.Nodes;

namespace Grains.Server.Dashboard.Stats;

/// <summary>
/// A <c>stats_v2</c> answer grouped by category and outcome (what <c>StatsReader</c> returns for the API),
/// read back for the stats page: the intervals, and per category and outcome the total and the series.
/// </summary>
public sealed class OutcomeSummary
{
    /// <summary>The outcomes the page always shows, in Sentry's order, with their labels.</summary>
    public static IReadOnlyList<(string Outcome, string Label)> MainOutcomes { get; } =
    [
        ("accepted", "Accepted"),
        ("filtered", "Filtered"),
        ("rate_limited", "Rate limited"),
        ("invalid", "Invalid"),
        ("client_discard", "Client discard"),
    ];

    private static readonly Dictionary<string, string> OtherLabels = new(StringComparer.Ordinal)
    {
        ["abuse"] = "Abuse",
        ["cardinality_limited"] = "Cardinality limited",
    };

    private readonly Dictionary<(string Category, string Outcome), (long Total, long[] Series)> _groups;

    private OutcomeSummary(IReadOnlyList<DateTimeOffset> intervals, Dictionary<(string, string), (long, long[])> groups)
    {
        Intervals = intervals;
        _groups = groups;
    }

    /// <summary>The start of each interval.</summary>
    public IReadOnlyList<DateTimeOffset> Intervals { get; }

    /// <summary>The categories with data, by name.</summary>
    public IReadOnlyList<string> Categories => [.. _groups.Keys.Select(k => k.Category).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The outcomes to show for <paramref name="category"/>: the main ones, then any other with data.</summary>
    public IReadOnlyList<(string Outcome, string Label)> Outcomes(string category) =>
    [
        .. MainOutcomes,
        .. _groups.Keys.Where(k => k.Category == category && !MainOutcomes.Any(m => m.Outcome == k.Outcome))
            .Select(k => k.Outcome).Distinct().Order(StringComparer.Ordinal)
            .Select(o => (o, OtherLabels.GetValueOrDefault(o, o))),
    ];

    /// <summary>The total of an outcome in a category (0 when none).</summary>
    public long Total(string category, string outcome) => _groups.TryGetValue((category, outcome), out var group) ? group.Total : 0;

    /// <summary>An outcome's count per interval in a category (zeros when none).</summary>
    public IReadOnlyList<long> Series(string category, string outcome) =>
        _groups.TryGetValue((category, outcome), out var group) ? group.Series : new long[Intervals.Count];

    /// <summary>Reads a <c>stats_v2</c> response grouped by <c>category</c> and <c>outcome</c> with <c>sum(quantity)</c>.</summary>
    public static OutcomeSummary From(JsonObject response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var intervals = (response["intervals"] as JsonArray ?? [])
            .Select(i => DateTimeOffset.Parse(i!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))
            .ToList();
        var groups = new Dictionary<(string, string), (long, long[])>();
        foreach (var group in (response["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var category = group["by"]?["category"]?.GetValue<string>() ?? "";
            var outcome = group["by"]?["outcome"]?.GetValue<string>() ?? "";
            var total = group["totals"]?["sum(quantity)"]?.GetValue<long>() ?? 0;
            var series = (group["series"]?["sum(quantity)"] as JsonArray ?? []).Select(v => v!.GetValue<long>()).ToArray();
            groups[(category, outcome)] = (total, series.Length == intervals.Count ? series : new long[intervals.Count]);
        }

        return new OutcomeSummary(intervals, groups);
    }
}
