using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.StacktraceInterface;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>threads</c> interface: each thread's stack trace.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class ThreadsInterface
{
    internal static void NormalizeThreads(NormalizationOptions options, JsonObject ev, MetaRecorder meta)
    {
        var values = TakeValues(ev, "threads", meta);
        if (values is null)
        {
            return;
        }

        meta.Push("threads");
        meta.Push("values");
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is JsonObject thread && thread["stacktrace"] is not null)
            {
                meta.Push(i);
                WithPath(meta, "stacktrace", () => thread["stacktrace"] = NormalizeStacktrace(options, Take(thread, "stacktrace"), meta));
                meta.Pop();
            }
        }

        meta.Pop();
        meta.Pop();
        ev["threads"] = new JsonObject { ["values"] = values };
    }
}
