using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Model;

/// <summary>Tolerant readers for loosely typed event JSON (SDKs send numbers, bools and strings interchangeably).</summary>
internal static class JsonRead
{
    public static string? String(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        // Most fields are strings: one call instead of asking the kind first.
        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => null,
        };
    }

    public static bool? Bool(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.ToJsonString() != "0",
            JsonValueKind.String => value.GetValue<string>().ToLowerInvariant() switch
            {
                "1" or "true" or "yes" => true,
                "0" or "false" or "no" => false,
                _ => null,
            },
            _ => null,
        };
    }

    public static long? Long(JsonNode? node)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (node is JsonValue text && text.GetValueKind() == JsonValueKind.String && long.TryParse(text.GetValue<string>(), out var parsed))
        {
            return parsed;
        }

        return null;
    }

    /// <summary>Sentry accepts <c>{values:[...]}</c>, a bare list, or a single object for list interfaces.</summary>
    public static IEnumerable<JsonObject> Values(JsonNode? node)
    {
        if (node is JsonObject single && !single.ContainsKey("values"))
        {
            yield return single;
            yield break;
        }

        var list = node switch
        {
            JsonObject obj => obj["values"] as JsonArray,
            JsonArray array => array,
            _ => null,
        };
        if (list is null)
        {
            yield break;
        }

        foreach (var item in list)
        {
            if (item is JsonObject entry)
            {
                yield return entry;
            }
        }
    }
}
