using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Ingestion.Normalization;

/// <summary>Decides whether an invalid value is small enough to be kept in <c>_meta</c> as <c>val</c>.</summary>
internal static class OriginalValue
{
    /// <summary>Relay's <c>MAX_ORIGINAL_VALUE_SIZE</c>: originals of at most this many bytes (estimated as JSON) are kept.</summary>
    public const int MaxBytes = 500;

    /// <summary>Nesting an original may have, so that its copy under <c>_meta</c> stays within <see cref="EventDepth.Max"/>.</summary>
    public const int MaxDepth = 8;

    /// <summary>True when <paramref name="node"/> is at most <see cref="MaxBytes"/> and <see cref="MaxDepth"/> deep; stops early otherwise.</summary>
    public static bool IsSmall(JsonNode node)
    {
        var budget = (long)MaxBytes;
        return Fits(node, MaxDepth, ref budget);
    }

    private static bool Fits(JsonNode? node, int depthLeft, ref long budget)
    {
        switch (node)
        {
            case null:
                budget -= 4;
                break;
            case JsonObject obj:
                if (depthLeft <= 0)
                {
                    return false;
                }

                budget -= 2;
                foreach (var (key, value) in obj)
                {
                    budget -= key.Length + 3;
                    if (budget < 0 || !Fits(value, depthLeft - 1, ref budget))
                    {
                        return false;
                    }
                }

                break;
            case JsonArray array:
                if (depthLeft <= 0)
                {
                    return false;
                }

                budget -= 2;
                foreach (var item in array)
                {
                    budget -= 1;
                    if (budget < 0 || !Fits(item, depthLeft - 1, ref budget))
                    {
                        return false;
                    }
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                budget -= value.GetValue<string>().Length + 2;
                break;
            default:
                budget -= node.ToJsonString().Length;
                break;
        }

        return budget >= 0;
    }
}
