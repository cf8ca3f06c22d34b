using System.Text.Json;
using Grains.Monitoring.Events;

namespace Grains.Server.Pipeline.Steps;

/// <summary>Step 5: encode the stream item (facts + normalized event JSON).</summary>
public sealed class EncodeStreamItemStep : IEventPipelineStep
{
    public string Name => "encode";

    public ValueTask RunAsync(EventContext context, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(context.Event!);
        context.StreamPayload = IngestedEvent.Encode(context.Facts!, json);
        return ValueTask.CompletedTask;
    }
}
