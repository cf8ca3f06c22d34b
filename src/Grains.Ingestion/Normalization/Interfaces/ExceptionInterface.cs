using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.StacktraceInterface;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>exception</c> interface: values, their strings, stack traces and mechanism.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class ExceptionInterface
{
    internal static void NormalizeExceptions(NormalizationOptions options, JsonObject ev, MetaRecorder meta)
    {
        var values = TakeValues(ev, "exception", meta);
        if (values is null)
        {
            return;
        }

        meta.Push("exception");
        meta.Push("values");
        var kept = new JsonArray();
        for (var i = 0; i < values.Count; i++)
        {
            meta.Push(i);
            if (values[i] is JsonObject exception)
            {
                values[i] = null;
                NormalizeException(options, exception, meta);
                if (exception["type"] is null && exception["value"] is null && exception["stacktrace"] is null)
                {
                    meta.Invalid("type or value required", exception);
                }
                else
                {
                    kept.Add(exception);
                }
            }
            else
            {
                meta.Invalid("expected an exception object", values[i]);
            }

            meta.Pop();
        }

        meta.Pop();
        meta.Pop();
        if (kept.Count > 0)
        {
            ev["exception"] = new JsonObject { ["values"] = kept };
        }
    }

    internal static void NormalizeException(NormalizationOptions options, JsonObject exception, MetaRecorder meta)
    {
        SetLenient(exception, "type", 256, meta);
        SetLenient(exception, "value", options.MaxMessageLength, meta);
        SetLenient(exception, "module", 256, meta);
        if (exception["stacktrace"] is not null)
        {
            WithPath(meta, "stacktrace", () => exception["stacktrace"] = NormalizeStacktrace(options, Take(exception, "stacktrace"), meta));
        }

        if (exception["mechanism"] is JsonObject mechanism && mechanism["type"] is null)
        {
            // Relay requires mechanism.type; "generic" is what SDKs use when they have nothing better.
            mechanism["type"] = "generic";
        }
    }
}
