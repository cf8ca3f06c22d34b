using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// Trims a free-form value to a <see cref="BagSize"/>, Relay style: strings are cut to the remaining
/// budget, containers lose their trailing entries once the budget is spent, and anything nested
/// deeper than the bag allows is removed. Every cut is recorded in <c>_meta</c>.
/// </summary>
internal static class DatabagTrimmer
{
    /// <summary>Trims <paramref name="node"/> in place where possible; returns the value to store (null = remove).</summary>
    public static JsonNode? Trim(JsonNode? node, BagSize size, MetaRecorder meta)
    {
        long budget = size.MaxBytes;
        return Trim(node, size.MaxDepth, ref budget, meta);
    }

    private static JsonNode? Trim(JsonNode? node, int depthLeft, ref long budget, MetaRecorder meta)
    {
        switch (node)
        {
            case null:
                budget -= 4;
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
            {
                var text = value.GetValue<string>();
                var allowed = (int)Math.Max(budget - 2, 0);
                budget -= text.Length + 2;
                if (text.Length <= allowed)
                {
                    return node;
                }

                // Keep at least a short prefix so the reader sees what the value was.
                var keep = EventNormalizer.KeepWholePairs(text, Math.Max(allowed - 3, Math.Min(text.Length, 16)));
                if (keep >= text.Length)
                {
                    return node;
                }

                meta.Truncated(keep, text.Length);
                return JsonValue.Create(string.Concat(text.AsSpan(0, keep), "..."));
            }

            case JsonValue value:
                budget -= value.ToJsonString().Length;
                return node;
            case JsonObject obj:
            {
                if (depthLeft <= 0)
                {
                    meta.Removed();
                    return null;
                }

                budget -= 2;
                var originalCount = obj.Count;
                var keys = new List<string>(obj.Count);
                foreach (var property in obj)
                {
                    keys.Add(property.Key);
                }

                var kept = 0;
                foreach (var key in keys)
                {
                    if (budget <= 0)
                    {
                        break;
                    }

                    kept++;
                    budget -= key.Length + 3;
                    meta.Push(key);
                    var child = obj[key];
                    var trimmed = Trim(child, depthLeft - 1, ref budget, meta);
                    meta.Pop();
                    if (!ReferenceEquals(child, trimmed))
                    {
                        obj[key] = Detach(trimmed);
                    }
                }

                if (kept < originalCount)
                {
                    // Everything after the budget ran out goes: removed from the end, each removal is
                    // O(1), where removing from the front or middle would shift the rest every time.
                    for (var k = originalCount - 1; k >= kept; k--)
                    {
                        obj.Remove(keys[k]);
                    }

                    meta.Shortened(originalCount);
                }

                return obj;
            }

            case JsonArray array:
            {
                if (depthLeft <= 0)
                {
                    meta.Removed();
                    return null;
                }

                budget -= 2;
                var originalCount = array.Count;
                var i = 0;
                for (; i < array.Count && budget > 0; i++)
                {
                    budget -= 1;
                    meta.Push(i);
                    var child = array[i];
                    var trimmed = Trim(child, depthLeft - 1, ref budget, meta);
                    meta.Pop();
                    if (!ReferenceEquals(child, trimmed))
                    {
                        array[i] = Detach(trimmed);
                    }
                }

                if (i < originalCount)
                {
                    while (array.Count > i)
                    {
                        array.RemoveAt(array.Count - 1);
                    }

                    meta.Shortened(originalCount);
                }

                return array;
            }

            default:
                return node;
        }
    }

    private static JsonNode? Detach(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();
}
