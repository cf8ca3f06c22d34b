using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Envelopes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The event's own attributes: <c>event_id</c>, <c>level</c>, <c>platform</c>, the short strings (logger, transaction, server name, culprit, release, environment, dist) and <c>type</c>.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class EventAttributes
{
    internal static readonly string[] Platforms =
        ["as3", "c", "cfml", "cocoa", "csharp", "elixir", "go", "groovy", "haskell", "java", "javascript", "native", "node", "objc", "other", "perl", "php", "python", "ruby"];

    internal static readonly SearchValues<char> DistChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary><c>level</c>, <c>platform</c> and the short top-level strings.</summary>
    internal static void NormalizeAttributes(JsonObject raw, MetaRecorder meta)
    {
        raw["level"] = Field(raw, "level", meta, n => ParseLevel(n) ?? throw new FormatException("invalid level")) ?? "error";
        raw["platform"] = raw["platform"]?.GetValueKind() == JsonValueKind.String && Array.IndexOf(Platforms, raw["platform"]!.GetValue<string>()) >= 0
            ? raw["platform"]!.GetValue<string>()
            : "other";

        NormalizeString(raw, "logger", 64, meta, rejectNewlines: true);
        NormalizeString(raw, "transaction", 200, meta);
        NormalizeString(raw, "server_name", 200, meta);
        NormalizeString(raw, "culprit", 200, meta);
        NormalizeString(raw, "release", 200, meta, lenient: true, validate: IsValidRelease);
        NormalizeString(raw, "environment", 64, meta, lenient: true, validate: IsValidEnvironment);
        NormalizeString(raw, "dist", 64, meta, lenient: true, validate: d => !d.AsSpan().ContainsAnyExcept(DistChars));
    }

    internal static void NormalizeEventId(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = Take(ev, "event_id");
        string? id = null;
        if (context.EventId is not null)
        {
            // The envelope header wins over the payload (reference §3.2).
            EventIdFormat.TryNormalize(context.EventId, out id);
        }
        else if (node is not null && !(node.GetValueKind() == JsonValueKind.String && EventIdFormat.TryNormalize(node.GetValue<string>(), out id)))
        {
            WithPath(meta, "event_id", () => meta.Invalid("invalid event id", node));
        }

        ev["event_id"] = id ?? EventIdFormat.NewId();
    }

    internal static void NormalizeType(JsonObject ev)
    {
        // Clients only legitimately send "transaction" and "feedback"; every other type is inferred.
        var claimed = ev["type"]?.GetValueKind() == JsonValueKind.String ? ev["type"]!.GetValue<string>() : null;
        ev["type"] = claimed is "transaction" or "feedback"
            ? claimed
            : ev["exception"] is JsonObject ? "error" : "default";
    }

    internal static bool IsValidRelease(string release) =>
        release is not ("." or ".." or "latest") && !release.AsSpan().ContainsAny("\r\n\f\v/\\");

    internal static bool IsValidEnvironment(string environment) =>
        environment is not ("." or "..") && !environment.AsSpan().ContainsAny("\r\n\f\v/");

    internal static string? ParseLevel(JsonNode? node)
    {
        switch (node?.GetValueKind())
        {
            case JsonValueKind.String:
                return node.GetValue<string>().Trim().ToLowerInvariant() switch
                {
                    "debug" or "trace" => "debug",
                    "info" or "log" => "info",
                    "warning" or "warn" => "warning",
                    "error" => "error",
                    "fatal" or "critical" => "fatal",
                    var other when int.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => PythonLevel(n),
                    _ => null,
                };
            case JsonValueKind.Number when node.AsValue().TryGetValue<int>(out var number):
                return PythonLevel(number);
            default:
                return null;
        }
    }

    // Python logging levels (10 DEBUG … 50 CRITICAL), as Relay's Level::from_python_level.
    internal static string? PythonLevel(int level) => level switch
    {
        10 => "debug",
        20 => "info",
        30 => "warning",
        40 => "error",
        50 => "fatal",
        _ => null,
    };
}
