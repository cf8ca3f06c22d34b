using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary><c>timestamp</c> and <c>start_timestamp</c>: parsed, clock drift corrected against the envelope's <c>sent_at</c>, and clamped to the accepted window.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class TimestampNormalization
{
    internal static void NormalizeTimestamps(NormalizationOptions options, JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var received = context.ReceivedAt;

        // Relay corrects clock drift only past a threshold, so normal network latency leaves client
        // timestamps untouched.
        var drift = context.SentAt is { } sentAt && (received - sentAt).Duration() >= options.MinimumClockDrift
            ? received - sentAt
            : TimeSpan.Zero;

        var original = Take(ev, "timestamp");
        var timestamp = received;
        if (original is not null)
        {
            if (TryParseTimestamp(original, out var parsed))
            {
                timestamp = AddClamped(parsed, drift);
                if (timestamp > received + options.MaxFutureSkew)
                {
                    AddProcessingError(ev, "future_timestamp", "timestamp", original);
                    timestamp = received;
                }
                else if (timestamp < received - options.MaxAge)
                {
                    AddProcessingError(ev, "past_timestamp", "timestamp", original);
                    timestamp = received;
                }
            }
            else
            {
                WithPath(meta, "timestamp", () => meta.Invalid("invalid timestamp", original));
            }
        }

        ev["timestamp"] = ToUnixSeconds(timestamp);

        if (Take(ev, "start_timestamp") is { } start)
        {
            if (TryParseTimestamp(start, out var parsed))
            {
                ev["start_timestamp"] = ToUnixSeconds(AddClamped(parsed, drift));
            }
            else
            {
                WithPath(meta, "start_timestamp", () => meta.Invalid("invalid timestamp", start));
            }
        }
    }

    internal static bool TryParseTimestamp(JsonNode node, out DateTimeOffset timestamp)
    {
        timestamp = default;
        switch (node.GetValueKind())
        {
            case JsonValueKind.Number:
            {
                if (!node.AsValue().TryGetValue<double>(out var seconds) || !double.IsFinite(seconds) || seconds < 0 || seconds > 253402300799)
                {
                    return false;
                }

                timestamp = AddClamped(DateTimeOffset.UnixEpoch, TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
                return true;
            }

            case JsonValueKind.String:
                // RFC 3339; a missing zone means UTC (reference §4.1).
                return DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
            default:
                return false;
        }
    }

    /// <summary>
    /// <paramref name="value"/> + <paramref name="delta"/>, clamped to the representable range: a client
    /// clock in year 1 or 9999 moves a timestamp to the edge of the range instead of overflowing.
    /// </summary>
    internal static DateTimeOffset AddClamped(DateTimeOffset value, TimeSpan delta)
    {
        var utc = value.UtcDateTime.Ticks;
        if (delta.Ticks > 0 && utc > DateTimeOffset.MaxValue.UtcTicks - delta.Ticks)
        {
            return DateTimeOffset.MaxValue;
        }

        // utc >= 0, so utc + a negative delta cannot overflow.
        if (delta.Ticks < 0 && utc + delta.Ticks < DateTimeOffset.MinValue.UtcTicks)
        {
            return DateTimeOffset.MinValue;
        }

        return new DateTimeOffset(utc + delta.Ticks, TimeSpan.Zero);
    }

    // Unix seconds with microsecond precision, the representation Relay writes.
    internal static double ToUnixSeconds(DateTimeOffset value) =>
        Math.Round((value - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond, 6);
}
