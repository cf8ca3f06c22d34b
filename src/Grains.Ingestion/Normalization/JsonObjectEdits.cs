using System.Text.Json.Nodes;

namespace Grains.Ingestion.Normalization;

/// <summary>Edits of a <see cref="JsonObject"/> that stay linear in its size.</summary>
internal static class JsonObjectEdits
{
    /// <summary>
    /// Removes the properties named in <paramref name="keys"/>. <see cref="JsonObject"/> keeps its
    /// properties in order, so each <c>Remove</c> shifts every later one; removing many of them one
    /// by one is quadratic. Rebuilding the object once is linear.
    /// </summary>
    public static void RemoveAll(JsonObject obj, IReadOnlySet<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var kept = new List<KeyValuePair<string, JsonNode?>>(obj.Count);
        foreach (var property in obj)
        {
            if (!keys.Contains(property.Key))
            {
                kept.Add(property);
            }
        }

        obj.Clear();
        foreach (var (key, value) in kept)
        {
            obj.Add(key, value);
        }
    }
}
