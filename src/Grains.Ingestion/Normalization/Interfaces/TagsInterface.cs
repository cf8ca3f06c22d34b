using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary><c>tags</c>: pairs or an object, keys and values checked as Relay does.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class TagsInterface
{
    internal static readonly SearchValues<char> TagKeyChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-");

    internal static void NormalizeTags(NormalizationOptions options, JsonObject ev, MetaRecorder meta)
    {
        var node = Take(ev, "tags");
        if (node is null)
        {
            return;
        }

        var input = new List<(JsonNode? Key, JsonNode? Value)>();
        switch (node.GetValueKind())
        {
            case JsonValueKind.Object:
                foreach (var (key, value) in node.AsObject())
                {
                    input.Add((JsonValue.Create(key), value));
                }

                break;
            case JsonValueKind.Array:
                foreach (var pair in node.AsArray())
                {
                    input.Add(pair is JsonArray { Count: 2 } kv ? (kv[0], kv[1]) : (null, null));
                }

                break;
            default:
                WithPath(meta, "tags", () => meta.Invalid("expected an object or a list of pairs", node));
                return;
        }

        var pairs = new JsonArray();
        meta.Push("tags");
        for (var i = 0; i < input.Count; i++)
        {
            var (keyNode, valueNode) = input[i];
            var key = keyNode?.GetValueKind() == JsonValueKind.String ? keyNode.GetValue<string>().Replace(' ', '-').Trim() : null;
            var value = TagValue(valueNode);
            string? problem =
                key is null ? "invalid tag pair"
                : key.Length == 0 || key.Length > options.MaxTagLength || key.AsSpan().ContainsAnyExcept(TagKeyChars) ? "invalid tag key"
                : value is null || value.Length > options.MaxTagLength || value.Contains('\n') ? "invalid tag value"
                : null;
            if (problem is not null)
            {
                meta.Push(i);
                meta.Invalid(problem, new JsonArray(keyNode?.DeepClone(), valueNode?.DeepClone()));
                meta.Pop();
                continue;
            }

            pairs.Add(new JsonArray(key, value));
        }

        meta.Pop();
        ev["tags"] = pairs;
    }

    internal static string? TagValue(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => string.Empty,
        JsonValueKind.String => node.GetValue<string>().Trim(),
        JsonValueKind.Number => node.ToJsonString(),

        // Python spelling, as Sentry has always stored boolean tags.
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => null,
    };
}
