using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>Field-level helpers every step shares: taking, trimming and truncating values, recording what changed in <c>_meta</c>.</summary>
/// <remarks>Moved out of <see cref="EventNormalizer"/> unchanged with its steps (issue 14).</remarks>
internal static class NormalizationFields
{
    internal static void NormalizeString(JsonObject ev, string key, int maxLength, MetaRecorder meta, bool lenient = false, bool rejectNewlines = false, Func<string, bool>? validate = null)
    {
        var node = ev[key];
        if (node is null)
        {
            ev.Remove(key);
            return;
        }

        var text = node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>().Trim(),
            JsonValueKind.Number when lenient => node.ToJsonString(),
            _ => null,
        };
        if (text is null || (rejectNewlines && text.AsSpan().ContainsAny('\r', '\n')) || (validate is not null && text.Length > 0 && !validate(text)))
        {
            ev.Remove(key);
            WithPath(meta, key, () => meta.Invalid($"invalid {key}", node));
            return;
        }

        if (text.Length == 0)
        {
            ev.Remove(key);
            return;
        }

        meta.Push(key);
        ev[key] = Truncate(text, maxLength, meta);
        meta.Pop();
    }

    internal static string Truncate(string text, int maxLength, MetaRecorder meta)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var keep = KeepWholePairs(text, Math.Max(maxLength - 3, 0));
        meta.Truncated(keep, text.Length);
        return string.Concat(text.AsSpan(0, keep), "...");
    }

    // A cut between the two halves of a surrogate pair would leave a lone surrogate behind.
    internal static int KeepWholePairs(string text, int keep) =>
        keep > 0 && keep < text.Length && char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;

    internal static void SetTruncated(JsonObject target, string key, string? value, int maxLength, MetaRecorder meta)
    {
        if (value is null)
        {
            target.Remove(key);
            return;
        }

        meta.Push(key);
        target[key] = Truncate(value, maxLength, meta);
        meta.Pop();
    }

    // Strings where SDKs are known to send numbers or objects: numbers become text, objects JSON text.
    internal static void SetLenient(JsonObject target, string key, int maxLength, MetaRecorder meta)
    {
        if (target[key] is not { } node)
        {
            target.Remove(key);
            return;
        }

        SetTruncated(target, key, LenientString(node), maxLength, meta);
    }

    internal static string? LenientString(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => null,
        JsonValueKind.String => node.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    internal static void AddProcessingError(JsonObject ev, string type, string name, JsonNode original)
    {
        if (ev["errors"] is not JsonArray errors)
        {
            ev["errors"] = errors = [];
        }

        errors.Add(new JsonObject { ["type"] = type, ["name"] = name, ["value"] = original.DeepClone() });
    }

    internal static JsonNode? Field(JsonObject ev, string key, MetaRecorder meta, Func<JsonNode, string> parse)
    {
        if (Take(ev, key) is not { } node)
        {
            return null;
        }

        try
        {
            return parse(node);
        }
        catch (FormatException e)
        {
            WithPath(meta, key, () => meta.Invalid(e.Message, node));
            return null;
        }
    }

    // Accepts {values:[…]}, a bare list, or a single object (Relay's Values<T>); returns a detached list.
    internal static JsonArray? TakeValues(JsonObject ev, string key, MetaRecorder meta)
    {
        var node = Take(ev, key);
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj when obj.ContainsKey("values"):
                if (Take(obj, "values") is JsonArray values)
                {
                    return values;
                }

                WithPath(meta, key, () => meta.Invalid("expected a list of values", node));
                return null;
            case JsonObject obj:
                return [obj];
            case JsonArray array:
                return array;
            default:
                WithPath(meta, key, () => meta.Invalid("expected a list of values", node));
                return null;
        }
    }

    internal static JsonNode? Take(JsonObject obj, string key)
    {
        obj.TryGetPropertyValue(key, out var node);
        obj.Remove(key);
        return node;
    }

    internal static JsonNode? Detach(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();

    // Trims obj[key] where it stands: taking it out and adding it back would move every later
    // property each time, which made wide bags quadratic.
    internal static void TrimInPlace(JsonObject obj, string key, BagSize size, MetaRecorder meta)
    {
        var child = obj[key];
        var trimmed = DatabagTrimmer.Trim(child, size, meta);
        if (!ReferenceEquals(child, trimmed))
        {
            obj[key] = Detach(trimmed);
        }
    }

    internal static void WithPath(MetaRecorder meta, string segment, Action action)
    {
        meta.Push(segment);
        action();
        meta.Pop();
    }
}
