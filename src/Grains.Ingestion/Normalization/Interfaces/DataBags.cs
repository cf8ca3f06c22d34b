using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>Free-form bags (<c>extra</c>, <c>modules</c>) trimmed to Relay's size budgets.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class DataBags
{
    internal static void NormalizeBag(JsonObject ev, string key, MetaRecorder meta, BagSize total, BagSize? perEntry)
    {
        var node = ev[key];
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject bag)
        {
            WithPath(meta, key, () => meta.Invalid("expected an object", node));
            ev.Remove(key);
            return;
        }

        meta.Push(key);
        if (perEntry is { } entrySize)
        {
            foreach (var name in bag.Select(p => p.Key).ToArray())
            {
                meta.Push(name);
                TrimInPlace(bag, name, entrySize, meta);
                meta.Pop();
            }
        }

        // The bag object itself is one level, so its depth budget is one more than its values'.
        ev[key] = Detach(DatabagTrimmer.Trim(Take(ev, key), total with { MaxDepth = total.MaxDepth + 1 }, meta));
        meta.Pop();
    }
}
