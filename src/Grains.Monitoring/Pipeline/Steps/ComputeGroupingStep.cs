using Grains.Monitoring.Grouping;

namespace Grains.Monitoring.Pipeline.Steps;

/// <summary>Step 2: compute the grouping hashes and the title/culprit/metadata with the project's grouping config.</summary>
public sealed class ComputeGroupingStep : IEventPipelineStep
{
    public string Name => "group";

    public ValueTask RunAsync(EventContext context, CancellationToken cancellationToken)
    {
        var config = context.Key.Grouping;
        context.Grouping = GroupingEngine.Compute(context.Event!, config);
        context.Metadata = EventMetadataDeriver.Derive(context.Event!, config, context.Grouping);
        return ValueTask.CompletedTask;
    }
}
