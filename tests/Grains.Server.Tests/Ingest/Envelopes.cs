using System.Text;
using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Ingest;

/// <summary>Builds SDK-like request bodies.</summary>
public static class Envelopes
{
    public static string NewEventId() => Guid.NewGuid().ToString("N");

    /// <summary>A JavaScript error event with one in-app frame in <paramref name="function"/>.</summary>
    public static JsonObject ErrorEvent(string eventId, string type, string value, string function = "handler", string? user = null) => new()
    {
        ["event_id"] = eventId,
        ["platform"] = "javascript",
        ["level"] = "error",
        ["environment"] = "test",
        ["release"] = "web@1.0.0",
        ["tags"] = new JsonObject { ["feature"] = "checkout" },
        ["user"] = user is null ? null : new JsonObject { ["id"] = user },
        ["exception"] = new JsonObject
        {
            ["values"] = new JsonArray(new JsonObject
            {
                ["type"] = type,
                ["value"] = value,
                ["mechanism"] = new JsonObject { ["type"] = "generic", ["handled"] = true },
                ["stacktrace"] = new JsonObject
                {
                    ["frames"] = new JsonArray(new JsonObject
                    {
                        ["function"] = function,
                        ["filename"] = "/app/src/checkout.js",
                        ["abs_path"] = "/app/src/checkout.js",
                        ["module"] = "checkout",
                        ["lineno"] = 10,
                        ["colno"] = 5,
                        ["context_line"] = $"  {function}();",
                        ["in_app"] = true,
                    }),
                },
            }),
        },
    };

    /// <summary>An envelope with the given items (header JSON, payload) and an event_id header.</summary>
    public static byte[] Envelope(string? eventId, params (string Header, string Payload)[] items)
    {
        var builder = new StringBuilder();
        builder.Append(eventId is null ? "{}" : $"{{\"event_id\":\"{eventId}\",\"sent_at\":\"{DateTimeOffset.UtcNow:O}\"}}").Append('\n');
        foreach (var (header, payload) in items)
        {
            builder.Append(header).Append('\n').Append(payload).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static byte[] EventEnvelope(JsonObject evt) =>
        Envelope(evt["event_id"]!.GetValue<string>(), ("{\"type\":\"event\"}", evt.ToJsonString()));
}
