using System.Globalization;
using System.Text.Json;

namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// An attribute of the event matches (Sentry's <c>EventAttributeFilter</c>). Message, platform,
/// environment and type come from the event's facts; the others are read from the stored event JSON,
/// which is parsed only for such a filter.
/// </summary>
internal sealed class EventAttributeFilter(string attribute, string match, string value) : RulePredicate
{
    /// <summary>The attributes Grains can read from a stored event (Sentry's names).</summary>
    public static IReadOnlyList<string> Attributes { get; } =
    [
        "message", "platform", "environment", "type",
        "error.handled", "error.unhandled", "error.main_thread",
        "exception.type", "exception.value",
        "user.id", "user.ip_address", "user.email", "user.username", "user.segment",
        "http.method", "http.url", "http.status_code",
        "sdk.name",
        "stacktrace.code", "stacktrace.module", "stacktrace.filename", "stacktrace.abs_path", "stacktrace.package",
    ];

    public override bool NeedsEventJson => attribute is not ("message" or "platform" or "environment" or "type");

    public override bool Passes(RuleEvaluationContext context) => ValueMatch.Matches(match, Values(context), value);

    private List<string> Values(RuleEvaluationContext context)
    {
        var facts = context.Event;
        switch (attribute)
        {
            case "message":
                return facts.Message.Length > 0 ? [facts.Message] : [];
            case "platform":
                return [facts.Platform];
            case "environment":
                return facts.Environment is { } environment ? [environment] : [];
            case "type":
                return [facts.Type];
        }

        var values = new List<string>();
        if (context.EventJson.Root is not { } root)
        {
            return values;
        }

        var dot = attribute.IndexOf('.', StringComparison.Ordinal);
        var (head, tail) = (attribute[..dot], attribute[(dot + 1)..]);
        switch (head)
        {
            case "exception":
                foreach (var exception in Exceptions(root))
                {
                    Add(values, Get(exception, tail));
                }

                break;
            case "error":
                foreach (var exception in Exceptions(root))
                {
                    if (Get(exception, "mechanism") is { ValueKind: JsonValueKind.Object } mechanism)
                    {
                        var field = tail == "unhandled" ? "handled" : tail;
                        if (Get(mechanism, field) is { ValueKind: JsonValueKind.True or JsonValueKind.False } flag)
                        {
                            var flagValue = flag.ValueKind == JsonValueKind.True;
                            values.Add((tail == "unhandled" ? !flagValue : flagValue) ? "true" : "false");
                        }
                    }
                }

                break;
            case "user":
                Add(values, Get(Get(root, "user"), tail));
                break;
            case "http":
                Add(values, tail == "status_code"
                    ? Get(Get(Get(root, "contexts"), "response"), "status_code")
                    : Get(Get(root, "request"), tail));
                break;
            case "sdk":
                Add(values, Get(Get(root, "sdk"), tail));
                break;
            case "stacktrace":
                var field2 = tail == "code" ? "context_line" : tail;
                foreach (var frame in Frames(root))
                {
                    Add(values, Get(frame, field2));
                }

                break;
        }

        return values;
    }

    private static IEnumerable<JsonElement> Exceptions(JsonElement root)
    {
        var list = Get(root, "exception") is { ValueKind: JsonValueKind.Object } exception ? Get(exception, "values") : Get(root, "exception");
        return list is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object) : [];
    }

    private static IEnumerable<JsonElement> Frames(JsonElement root)
    {
        var traces = Exceptions(root).Select(e => Get(e, "stacktrace")).Append(Get(root, "stacktrace"));
        foreach (var trace in traces)
        {
            if (Get(trace, "frames") is { ValueKind: JsonValueKind.Array } frames)
            {
                foreach (var frame in frames.EnumerateArray())
                {
                    if (frame.ValueKind == JsonValueKind.Object)
                    {
                        yield return frame;
                    }
                }
            }
        }
    }

    private static JsonElement? Get(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;

    private static void Add(List<string> values, JsonElement? element)
    {
        switch (element?.ValueKind)
        {
            case JsonValueKind.String:
                values.Add(element.Value.GetString()!);
                break;
            case JsonValueKind.Number:
                values.Add(element.Value.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : element.Value.GetRawText());
                break;
            case JsonValueKind.True:
                values.Add("true");
                break;
            case JsonValueKind.False:
                values.Add("false");
                break;
        }
    }
}
