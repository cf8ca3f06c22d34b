using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.EventAttributes;
using static Grains.Ingestion.Normalization.Interfaces.TimestampNormalization;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>breadcrumbs</c> interface: the newest breadcrumbs kept, each one's fields normalized.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class BreadcrumbsInterface
{
    internal static void NormalizeBreadcrumbs(NormalizationOptions options, JsonObject ev, MetaRecorder meta)
    {
        var values = TakeValues(ev, "breadcrumbs", meta);
        if (values is null)
        {
            return;
        }

        meta.Push("breadcrumbs");
        meta.Push("values");
        var originalCount = values.Count;
        if (originalCount > options.MaxBreadcrumbs)
        {
            // The most recent breadcrumbs explain the error; drop from the front.
            while (values.Count > options.MaxBreadcrumbs)
            {
                values.RemoveAt(0);
            }

            meta.Shortened(originalCount);
        }

        var kept = new JsonArray();
        for (var i = 0; i < values.Count; i++)
        {
            meta.Push(i);
            var node = values[i];
            values[i] = null;
            if (node is JsonObject crumb)
            {
                if (Take(crumb, "timestamp") is { } ts)
                {
                    if (TryParseTimestamp(ts, out var parsed))
                    {
                        crumb["timestamp"] = ToUnixSeconds(parsed);
                    }
                    else
                    {
                        WithPath(meta, "timestamp", () => meta.Invalid("invalid timestamp", ts));
                    }
                }

                if (crumb["level"] is { } level)
                {
                    crumb["level"] = ParseLevel(level) ?? "info";
                }

                SetLenient(crumb, "message", options.MaxMessageLength, meta);
                if (crumb["data"] is not null)
                {
                    meta.Push("data");
                    crumb["data"] = Detach(DatabagTrimmer.Trim(Take(crumb, "data"), BagSize.Medium, meta));
                    meta.Pop();
                }

                kept.Add(crumb);
            }
            else
            {
                meta.Invalid("expected a breadcrumb object", node);
            }

            meta.Pop();
        }

        meta.Pop();
        meta.Pop();
        ev["breadcrumbs"] = new JsonObject { ["values"] = kept };
    }
}
