using System.Globalization;
using System.Text.Json.Nodes;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>
/// Reading the API's event JSON (Sentry's shapes, as <c>EventSerializer</c> writes them) in the issue
/// page's components: the page renders the same document the API answers, so the two cannot drift.
/// </summary>
internal static class EventJson
{
    /// <summary>A scalar as text (numbers and booleans too); null for null, objects and arrays.</summary>
    public static string? Str(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value when value.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        JsonValue value when value.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => null,
    };

    public static long? Long(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var l) ? l : null;

    public static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) && b;

    /// <summary>The data of the event's entry of a type (<c>exception</c>, <c>breadcrumbs</c>, <c>request</c>, <c>message</c>), or null.</summary>
    public static JsonObject? Entry(JsonObject? evt, string type) =>
        (evt?["entries"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => Str(e["type"]) == type)?["data"] as JsonObject;

    /// <summary>Any value for a table cell: scalars as text, objects and arrays as compact JSON.</summary>
    public static string Display(JsonNode? node) => node switch
    {
        null => "",
        JsonValue => Str(node) ?? node.ToJsonString(),
        _ => node.ToJsonString(),
    };

    /// <summary><c>[[name, value], …]</c> pairs (headers, cookies, query) as tuples.</summary>
    public static IReadOnlyList<(string Name, string Value)> Pairs(JsonNode? node) =>
        [.. (node as JsonArray ?? []).OfType<JsonArray>().Where(p => p.Count == 2).Select(p => (Str(p[0]) ?? "", Str(p[1]) ?? ""))];
}
