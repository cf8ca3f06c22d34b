using System.Text.Json;
using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The SDK's <c>fingerprint</c>: a list of strings.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class FingerprintAttribute
{
    internal static void NormalizeFingerprint(JsonObject ev, MetaRecorder meta)
    {
        var node = ev["fingerprint"];
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray items)
        {
            WithPath(meta, "fingerprint", () => meta.Invalid("expected a list of strings", node));
            ev.Remove("fingerprint");
            return;
        }

        var result = new JsonArray();
        foreach (var item in items)
        {
            var text = item?.GetValueKind() switch
            {
                JsonValueKind.String => item.GetValue<string>(),
                JsonValueKind.Number => item.ToJsonString(),
                JsonValueKind.True => "True",
                JsonValueKind.False => "False",
                _ => null,
            };
            if (text is not null)
            {
                result.Add(text);
            }
        }

        ev["fingerprint"] = result;
    }
}
