using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>sdk</c> interface, filled from the envelope when the payload has none.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class SdkInterface
{
    internal static void NormalizeSdk(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = ev["sdk"];
        if (node is not null and not JsonObject)
        {
            WithPath(meta, "sdk", () => meta.Invalid("expected an object", node));
            ev.Remove("sdk");
        }

        if (ev["sdk"] is null && context.SdkName is not null)
        {
            ev["sdk"] = new JsonObject { ["name"] = context.SdkName, ["version"] = context.SdkVersion };
        }
    }
}
