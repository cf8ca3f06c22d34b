using Grains.Ingestion.Normalization;

namespace Grains.Monitoring.Pipeline.Steps;

/// <summary>Step 1: normalize the SDK's JSON into the canonical event (timestamps, levels, tags, exceptions, sizes).</summary>
public sealed class NormalizeEventStep(EventNormalizer normalizer) : IEventPipelineStep
{
    public string Name => "normalize";

    public ValueTask RunAsync(EventContext context, CancellationToken cancellationToken)
    {
        context.Event = normalizer.Normalize(context.RawJson, context.Normalization);
        return ValueTask.CompletedTask;
    }
}
