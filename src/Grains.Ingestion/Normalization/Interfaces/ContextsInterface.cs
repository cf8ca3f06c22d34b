using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>contexts</c> interface: typed contexts, trace ids checked.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class ContextsInterface
{
    internal static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");

    internal static void NormalizeContexts(JsonObject ev, MetaRecorder meta)
    {
        var node = ev["contexts"];
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject contexts)
        {
            WithPath(meta, "contexts", () => meta.Invalid("expected an object", node));
            ev.Remove("contexts");
            return;
        }

        meta.Push("contexts");
        HashSet<string>? invalid = null;
        foreach (var key in contexts.Select(p => p.Key).ToArray())
        {
            meta.Push(key);
            var value = contexts[key];
            if (value is not JsonObject context)
            {
                meta.Invalid("expected a context object", value);
                (invalid ??= []).Add(key);
                meta.Pop();
                continue;
            }

            // The key names the type when the SDK leaves it out (reference §4.1).
            if (context["type"]?.GetValueKind() != JsonValueKind.String)
            {
                context["type"] = key;
            }

            if (context["type"]!.GetValue<string>() == "trace")
            {
                ValidateHex(context, "trace_id", 32, meta);
                ValidateHex(context, "span_id", 16, meta);
                ValidateHex(context, "parent_span_id", 16, meta);
            }

            TrimInPlace(contexts, key, BagSize.Large, meta);
            meta.Pop();
        }

        meta.Pop();
        if (invalid is not null)
        {
            JsonObjectEdits.RemoveAll(contexts, invalid);
        }
    }

    internal static void ValidateHex(JsonObject context, string key, int length, MetaRecorder meta)
    {
        if (context[key] is not { } node)
        {
            return;
        }

        var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Replace("-", string.Empty) : null;
        if (text is not null && text.Length == length && !text.AsSpan().ContainsAnyExcept(HexChars))
        {
            context[key] = text.ToLowerInvariant();
            return;
        }

        context.Remove(key);
        WithPath(meta, key, () => meta.Invalid($"expected {length} hex characters", node));
    }
}
