using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>stacktrace</c> interface: frame count cut in the middle, frame <c>vars</c> trimmed.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class StacktraceInterface
{
    /// <summary>A stack trace at the top level of the event (no exception or thread around it).</summary>
    internal static void NormalizeTopLevelStacktrace(NormalizationOptions options, JsonObject raw, MetaRecorder meta)
    {
        if (raw["stacktrace"] is not null)
        {
            WithPath(meta, "stacktrace", () => raw["stacktrace"] = NormalizeStacktrace(options, Take(raw, "stacktrace"), meta));
        }
    }

    internal static JsonObject? NormalizeStacktrace(NormalizationOptions options, JsonNode? node, MetaRecorder meta)
    {
        if (node is not JsonObject stacktrace)
        {
            if (node is not null)
            {
                meta.Invalid("expected a stack trace object", node);
            }

            return null;
        }

        if (stacktrace["frames"] is not JsonArray frames)
        {
            if (stacktrace["frames"] is { } invalid)
            {
                WithPath(meta, "frames", () => meta.Invalid("expected a list of frames", invalid));
                stacktrace.Remove("frames");
            }

            return stacktrace;
        }

        meta.Push("frames");
        var originalCount = frames.Count;
        if (originalCount > options.MaxFrames)
        {
            // Keep the oldest (entry point) and newest (crash site) frames; the middle repeats least.
            var head = options.MaxFrames / 2;
            var tail = options.MaxFrames - head;
            for (var remove = originalCount - head - tail; remove > 0; remove--)
            {
                frames.RemoveAt(head);
            }

            meta.Shortened(originalCount);
        }

        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i] is JsonObject frame && frame["vars"] is not null)
            {
                meta.Push(i);
                meta.Push("vars");
                frame["vars"] = Detach(DatabagTrimmer.Trim(Take(frame, "vars"), BagSize.Medium, meta));
                meta.Pop();
                meta.Pop();
            }
        }

        meta.Pop();
        return stacktrace;
    }
}
