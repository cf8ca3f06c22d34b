using System.Globalization;
using Grains.Ingestion.Envelopes;
using Grains.Monitoring.Outcomes;
using Grains.Server.Api.Infrastructure;

namespace Grains.Server.Api.Stats;

/// <summary>
/// Reads <c>stats_v2</c>'s query string as Sentry does (<c>sentry/snuba/outcomes.py</c>,
/// <c>sessions_v2.get_constrained_date_range</c>), with Sentry's 400 messages; anything it cannot
/// honour is a 400 with a reason, never ignored.
/// </summary>
/// <remarks>
/// Grains keeps outcomes hourly only, so the interval is at least an hour (Sentry's
/// <c>allow_minute_resolution=False</c> answer). Sentry's default period is its maximum, 90 days;
/// with the default 1h interval that is over Sentry's 1,000 points and refused, as in Sentry.
/// </remarks>
public static class StatsQueryParser
{
    public const string QuantityField = "sum(quantity)";
    public const string TimesSeenField = "sum(times_seen)";

    /// <summary>Sentry's <c>MAX_POINTS</c>: intervals a query may ask for.</summary>
    public const int MaxPoints = 1000;

    /// <summary>Sentry's <c>MAX_STATS_PERIOD</c>: the default and the longest period.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(90);

    private const int Hour = 3600;
    private const int Day = 86_400;

    private static readonly string[] KnownFields = [QuantityField, TimesSeenField];
    private static readonly string[] KnownGroupBy = ["outcome", "category", "reason", "project"];

    private static readonly HashSet<string> KnownCategories = new(
    [
        "default", "error", "transaction", "security", "attachment", "attachment_item", "session", "internal", "profile",
        "profile_chunk", "profile_chunk_ui", "profile_indexed", "replay", "replay_video", "feedback", "monitor", "monitor_seat",
        "span", "span_indexed", "transaction_indexed", "log_item", "log_byte", "trace_metric", "trace_metric_byte",
        "metric_bucket", "uptime", "user_report_v2",
    ], StringComparer.Ordinal);

    /// <summary>Parses <paramref name="query"/> at <paramref name="now"/>.</summary>
    /// <exception cref="ApiException">400 with Sentry's detail for a bad parameter.</exception>
    public static StatsQuery Parse(IQueryCollection query, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var interval = ParseInterval(Single(query, "interval"));
        var (start, end) = ParseRange(Single(query, "statsPeriod"), Single(query, "start"), Single(query, "end"), now);
        if (start > now.ToUnixTimeSeconds())
        {
            start = now.ToUnixTimeSeconds();
        }

        start = Floor(start, interval);
        end = Floor(end + interval - 1, interval);
        if ((end - start) / interval > MaxPoints)
        {
            throw ApiException.BadRequest("Your interval and date range would create too many results. Use a larger interval, or a smaller date range.");
        }

        var fields = Distinct(query["field"]);
        if (fields.Count == 0)
        {
            throw ApiException.BadRequest("At least one \"field\" is required.");
        }

        foreach (var field in fields)
        {
            if (Array.IndexOf(KnownFields, field) < 0)
            {
                throw ApiException.BadRequest($"Invalid field: \"{field}\"");
            }
        }

        var groupBy = Distinct(query["groupBy"]);
        foreach (var dimension in groupBy)
        {
            if (Array.IndexOf(KnownGroupBy, dimension) < 0)
            {
                throw ApiException.BadRequest($"Invalid groupBy: \"{dimension}\"");
            }
        }

        // Sentry filters by a key's numeric id; Grains' keys are identified by their public key and the
        // stored counts are read summed over keys: refused rather than ignored.
        if (Single(query, "key_id") is not null)
        {
            throw ApiException.BadRequest("Filtering by key_id is not supported.");
        }

        var categoryFilter = Distinct(query["category"]);
        if (categoryFilter.Count == 0 && !groupBy.Contains("category"))
        {
            throw ApiException.BadRequest("Query must have category as groupby or filter");
        }

        return new StatsQuery(fields, groupBy, start, end, interval,
            ParseCategories(categoryFilter), ParseOutcomes(Distinct(query["outcome"])), ParseReason(Single(query, "reason")), ParseProjects(query["project"]));
    }

    /// <summary>The API's name of a stored category: default, error and security are all <c>error</c> (Sentry's <c>map_row</c>).</summary>
    public static string CategoryName(string stored) =>
        stored is "default" or "security" ? DataCategory.Error.Name : stored;

    /// <summary>The API's name of a stored reason: <c>smart_rate_limit</c> reads <c>spike_protection</c> (Sentry's <c>map_row</c>).</summary>
    public static string? ReasonName(string? stored) => stored == "smart_rate_limit" ? "spike_protection" : stored;

    private static int ParseInterval(string? text)
    {
        if (text is null)
        {
            return Hour;
        }

        var seconds = ParsePeriod(text) ?? throw ApiException.BadRequest($"Invalid interval: \"{text}\"");
        if (seconds % Hour != 0 || seconds < Hour)
        {
            throw ApiException.BadRequest("The interval has to be a multiple of the minimum interval of one hour.");
        }

        if (seconds > Day)
        {
            throw ApiException.BadRequest("The interval has to be less than one day.");
        }

        if (Day % seconds != 0)
        {
            throw ApiException.BadRequest("The interval should divide one day without a remainder.");
        }

        return (int)seconds;
    }

    private static (long Start, long End) ParseRange(string? statsPeriod, string? start, string? end, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        if (start is not null || end is not null)
        {
            if (statsPeriod is not null)
            {
                throw ApiException.BadRequest("statsPeriod cannot be combined with start and end.");
            }

            if (start is null || end is null)
            {
                throw ApiException.BadRequest("start and end are both required.");
            }

            var from = ParseDate(start, "start");
            var to = ParseDate(end, "end");
            if (from >= to)
            {
                throw ApiException.BadRequest("start must be before end.");
            }

            if (nowSeconds - from > (long)MaxPeriod.TotalSeconds)
            {
                throw ApiException.BadRequest("Invalid date range. Please try a more recent date range.");
            }

            return (from, to);
        }

        var period = statsPeriod is null ? (long)MaxPeriod.TotalSeconds : ParsePeriod(statsPeriod) ?? throw ApiException.BadRequest($"Invalid statsPeriod: \"{statsPeriod}\"");
        if (period <= 0)
        {
            throw ApiException.BadRequest($"Invalid statsPeriod: \"{statsPeriod}\"");
        }

        if (period > (long)MaxPeriod.TotalSeconds)
        {
            throw ApiException.BadRequest("Invalid date range. Please try a more recent date range.");
        }

        return (nowSeconds - period, nowSeconds);
    }

    /// <summary>Sentry's <c>parse_stats_period</c>: digits and an optional unit (s, m, h, d, w; none = seconds).</summary>
    private static long? ParsePeriod(string text)
    {
        if (text.Length is 0 or > 12)
        {
            return null;
        }

        var unit = char.IsAsciiDigit(text[^1]) ? 's' : text[^1];
        var digits = unit == text[^1] && !char.IsAsciiDigit(unit) ? text[..^1] : text;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit) || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        long? scale = unit switch { 's' => 1, 'm' => 60, 'h' => Hour, 'd' => Day, 'w' => 7 * Day, _ => null };
        return scale is { } s && value <= long.MaxValue / s / 1000 ? value * s : null;
    }

    private static long ParseDate(string text, string name) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
        && value.Year is >= 1970 and < 9999
            ? value.ToUnixTimeSeconds()
            : throw ApiException.BadRequest($"{name} is not a valid ISO 8601 date: \"{text}\"");

    private static HashSet<string>? ParseCategories(List<string> names)
    {
        if (names.Count == 0)
        {
            return null;
        }

        var resolved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!KnownCategories.Contains(name))
            {
                throw ApiException.BadRequest($"Invalid category: \"{name}\"");
            }

            if (name == DataCategory.Error.Name)
            {
                // Sentry combines default, error and security as errors (relay's error categories).
                resolved.UnionWith([DataCategory.Default.Name, DataCategory.Error.Name, DataCategory.Security.Name]);
            }
            else
            {
                resolved.Add(name);
            }
        }

        if (resolved.Contains(DataCategory.Attachment.Name) && resolved.Count > 1)
        {
            throw ApiException.BadRequest("if filtering by attachment no other category may be present");
        }

        return resolved;
    }

    private static HashSet<OutcomeKind>? ParseOutcomes(List<string> names)
    {
        if (names.Count == 0)
        {
            return null;
        }

        var outcomes = new HashSet<OutcomeKind>();
        foreach (var name in names)
        {
            outcomes.Add(OutcomeNames.TryParse(name, out var outcome) ? outcome : throw ApiException.BadRequest($"Invalid outcome: \"{name}\""));
        }

        return outcomes;
    }

    private static string? ParseReason(string? reason) => reason switch
    {
        null or "" => null,
        "spike_protection" => "smart_rate_limit",
        _ => reason,
    };

    /// <summary>Project ids; <c>-1</c> (or none) means all the organization's.</summary>
    private static List<long>? ParseProjects(Microsoft.Extensions.Primitives.StringValues values)
    {
        var ids = new List<long>();
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!long.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) || id is < -1 or 0)
                {
                    throw ApiException.BadRequest("Invalid project parameter. Values must be numbers.");
                }

                if (id == -1)
                {
                    return null;
                }

                ids.Add(id);
            }
        }

        return ids.Count == 0 ? null : ids;
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[^1]) ? values[^1] : null;

    private static List<string> Distinct(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();

    private static long Floor(long value, long step) => value - (((value % step) + step) % step);
}
