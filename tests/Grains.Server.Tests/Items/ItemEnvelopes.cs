using System.Text;
using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Items;

/// <summary>SDK-shaped envelopes with non-event items; binary-safe (attachments carry a <c>length</c>, as JS sends them).</summary>
public static class ItemEnvelopes
{
    public static string NewEventId() => Guid.NewGuid().ToString("N");

    /// <summary>An envelope from a header and items (item header JSON, payload bytes); no final newline, as JS writes it.</summary>
    public static byte[] Envelope(string header, params (string Header, byte[] Payload)[] items)
    {
        using var stream = new MemoryStream();
        stream.Write(Encoding.UTF8.GetBytes(header));
        foreach (var (itemHeader, payload) in items)
        {
            stream.WriteByte((byte)'\n');
            stream.Write(Encoding.UTF8.GetBytes(itemHeader));
            stream.WriteByte((byte)'\n');
            stream.Write(payload);
        }

        return stream.ToArray();
    }

    public static string Header(string? eventId) =>
        eventId is null ? "{}" : $"{{\"event_id\":\"{eventId}\",\"sent_at\":\"{DateTimeOffset.UtcNow:O}\",\"sdk\":{{\"name\":\"sentry.javascript.node\",\"version\":\"11.12.0\"}}}}";

    public static (string, byte[]) Json(string type, JsonNode payload) => ($"{{\"type\":\"{type}\"}}", Encoding.UTF8.GetBytes(payload.ToJsonString()));

    public static (string, byte[]) Attachment(string filename, byte[] data, string contentType = "text/plain") =>
        ($"{{\"type\":\"attachment\",\"length\":{data.Length},\"filename\":\"{filename}\",\"content_type\":\"{contentType}\"}}", data);

    /// <summary>A JavaScript error event with one in-app frame.</summary>
    public static JsonObject ErrorEvent(string eventId, string type, string value) => new()
    {
        ["event_id"] = eventId,
        ["platform"] = "node",
        ["level"] = "error",
        ["environment"] = "test",
        ["release"] = "web@1.0.0",
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
                        ["function"] = "checkout",
                        ["filename"] = "/app/src/items.js",
                        ["module"] = "items",
                        ["lineno"] = 12,
                        ["colno"] = 3,
                        ["in_app"] = true,
                    }),
                },
            }),
        },
    };

    public static JsonObject UserReport(string eventId, string name, string email, string comments) => new()
    {
        ["event_id"] = eventId,
        ["name"] = name,
        ["email"] = email,
        ["comments"] = comments,
    };

    /// <summary>What JS <c>captureFeedback</c> sends: an event of type feedback with <c>contexts.feedback</c>.</summary>
    public static JsonObject Feedback(string feedbackId, string? associatedEventId, string message, string name, string email) => new()
    {
        ["event_id"] = feedbackId,
        ["type"] = "feedback",
        ["platform"] = "javascript",
        ["level"] = "info",
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        ["contexts"] = new JsonObject
        {
            ["feedback"] = new JsonObject
            {
                ["message"] = message,
                ["contact_email"] = email,
                ["name"] = name,
                ["associated_event_id"] = associatedEventId,
                ["source"] = "api",
            },
        },
    };

    public static JsonObject Transaction(string eventId) => new()
    {
        ["event_id"] = eventId,
        ["type"] = "transaction",
        ["transaction"] = "GET /checkout",
        ["platform"] = "node",
        ["start_timestamp"] = 1_795_319_485.1,
        ["timestamp"] = 1_795_319_485.4,
        ["contexts"] = new JsonObject { ["trace"] = new JsonObject { ["trace_id"] = "c2907034d37043119a8564b83823026e", ["span_id"] = "9bb69aee80ed2b13", ["op"] = "http.server" } },
        ["spans"] = new JsonArray(),
    };

    public static JsonObject Session(bool init, string status, int errors) => new()
    {
        ["sid"] = Guid.NewGuid().ToString("N"),
        ["did"] = "42",
        ["init"] = init,
        ["started"] = "2026-11-22T03:50:49.423Z",
        ["timestamp"] = "2026-11-22T03:50:49.458Z",
        ["status"] = status,
        ["errors"] = errors,
        ["duration"] = 0.035,
        ["attrs"] = new JsonObject { ["release"] = "web@1.0.0", ["environment"] = "test" },
    };

    public static JsonObject SessionAggregates() => new()
    {
        ["aggregates"] = new JsonArray(new JsonObject { ["started"] = "2026-11-22T03:50:00Z", ["exited"] = 12, ["errored"] = 3, ["crashed"] = 1 }),
        ["attrs"] = new JsonObject { ["release"] = "web@1.0.0", ["environment"] = "production" },
    };

    public static JsonObject ClientReport() => new()
    {
        ["timestamp"] = 1_795_319_485.78,
        ["discarded_events"] = new JsonArray(new JsonObject { ["reason"] = "ratelimit_backoff", ["category"] = "error", ["quantity"] = 2 }),
    };
}
