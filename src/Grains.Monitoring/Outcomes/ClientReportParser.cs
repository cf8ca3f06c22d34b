using System.Globalization;
using System.Text.Json;
using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.Outcomes;

/// <summary>
/// Reads a <c>client_report</c> item (reference protocol §7.1) into outcomes as Relay does:
/// <c>discarded_events</c> become <c>client_discard</c>, <c>rate_limited_events</c> <c>rate_limited</c>
/// and <c>filtered_events</c> <c>filtered</c>, each with the entry's reason, category and quantity.
/// </summary>
/// <remarks>
/// As Relay: an entry whose reason is longer than 200 characters is skipped, a report that is not
/// valid JSON yields nothing (the client still got its 200), and a report whose <c>timestamp</c> is
/// older than the retention (90 days) or more than 60 s in the future yields nothing. Beyond Relay,
/// entries whose category is not a known data category, or whose quantity is not a positive integer,
/// are skipped: the category is a metric tag and a stored key, so an SDK must not be able to invent
/// unbounded values. <c>filtered_sampling_events</c> (dynamic sampling, which Grains does not do) are ignored.
/// </remarks>
public static class ClientReportParser
{
    /// <summary>Relay skips reasons longer than this.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>Reports older than this are skipped (Relay: the project's event retention, 90 days by default).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(90);

    /// <summary>Reports from further in the future than this are skipped (Relay's <c>max_secs_in_future</c> default).</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, DataCategory> Categories = new[]
    {
        DataCategory.Default, DataCategory.Error, DataCategory.Transaction, DataCategory.Security, DataCategory.Attachment,
        DataCategory.Session, DataCategory.Internal, DataCategory.Profile, DataCategory.ProfileChunk, DataCategory.ProfileChunkUi,
        DataCategory.Replay, DataCategory.Feedback, DataCategory.Monitor, DataCategory.Span, DataCategory.LogItem,
        DataCategory.TraceMetric, DataCategory.MetricBucket, OutcomeCategories.AttachmentItem, OutcomeCategories.LogByte,
        OutcomeCategories.TraceMetricByte, OutcomeCategories.ProfileIndexed, OutcomeCategories.TransactionIndexed,
        OutcomeCategories.SpanIndexed, OutcomeCategories.ReplayVideo, OutcomeCategories.Uptime, OutcomeCategories.MonitorSeat,
        OutcomeCategories.UserReportV2,
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>
    /// The outcomes of <paramref name="payload"/> (entries of the same kind, reason and category summed)
    /// and the time they are counted at: the report's <c>timestamp</c>, else <paramref name="received"/>.
    /// </summary>
    public static (IReadOnlyList<ClientReportOutcome> Outcomes, DateTimeOffset Timestamp) Parse(ReadOnlySpan<byte> payload, DateTimeOffset received)
    {
        var sums = new Dictionary<(OutcomeKind, string, string), long>();
        DateTimeOffset? timestamp = null;
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ([], received);
            }

            var root = document.RootElement;
            if (root.TryGetProperty("timestamp", out var time))
            {
                timestamp = ReadTimestamp(time);
                if (timestamp is null)
                {
                    // Relay: a timestamp it cannot read is taken as too old.
                    return ([], received);
                }
            }

            Add(root, "discarded_events", OutcomeKind.ClientDiscard, sums);
            Add(root, "rate_limited_events", OutcomeKind.RateLimited, sums);
            Add(root, "filtered_events", OutcomeKind.Filtered, sums);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            return ([], received);
        }

        var at = timestamp ?? received;
        if (received - at > MaxAge || at - received > MaxFuture)
        {
            return ([], received);
        }

        return ([.. sums.Select(s => new ClientReportOutcome(s.Key.Item1, s.Key.Item2, Categories[s.Key.Item3], s.Value))], at);
    }

    private static void Add(JsonElement root, string field, OutcomeKind outcome, Dictionary<(OutcomeKind, string, string), long> sums)
    {
        if (!root.TryGetProperty(field, out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("reason", out var reason) || reason.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("category", out var category) || category.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("quantity", out var quantity) || !quantity.TryGetInt64(out var count) || count <= 0 || count > uint.MaxValue)
            {
                continue;
            }

            var reasonText = reason.GetString()!;
            if (reasonText.Length > MaxReasonLength || !Categories.TryGetValue(category.GetString()!, out var known))
            {
                continue;
            }

            var key = (outcome, reasonText, known.Name);
            sums[key] = sums.GetValueOrDefault(key) + count;
        }
    }

    /// <summary>Unix seconds (a number) or an RFC 3339 string, as the SDKs write it.</summary>
    private static DateTimeOffset? ReadTimestamp(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && double.IsFinite(seconds) && seconds is >= 0 and < 253_402_300_800)
        {
            return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        return null;
    }
}
