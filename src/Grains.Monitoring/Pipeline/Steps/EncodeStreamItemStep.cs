using System.Buffers;
using System.Text.Json;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Events;

namespace Grains.Monitoring.Pipeline.Steps;

/// <summary>Step 5: encode the stream item (facts + normalized event JSON, compressed here once for the log and the event store).</summary>
/// <remarks>
/// The writer allows <see cref="EventDepth.Max"/>, the nesting normalization guarantees, so no event
/// that passed normalization can fail here.
/// </remarks>
public sealed class EncodeStreamItemStep : IEventPipelineStep
{
    private static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = EventDepth.Max };

    public string Name => "encode";

    public ValueTask RunAsync(EventContext context, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            context.Event!.WriteTo(writer);
        }

        context.StreamPayload = IngestedEvent.Encode(context.Facts!, buffer.WrittenSpan);
        return ValueTask.CompletedTask;
    }
}
