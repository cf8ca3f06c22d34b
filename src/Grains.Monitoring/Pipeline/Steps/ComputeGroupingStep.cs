using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Caching;

namespace Grains.Monitoring.Pipeline.Steps;

/// <summary>
/// Step 2: compute the grouping hashes and the title/culprit/metadata with the project's grouping config.
/// With a <see cref="GroupingCache"/> (the server's default, <see cref="GroupingCacheOptions"/>), stack-trace
/// rule matching is reused across events; the result is the same without it.
/// </summary>
public sealed class ComputeGroupingStep(GroupingCache? cache = null) : IEventPipelineStep
{
    public string Name => "group";

    /// <summary>The cache this step groups with, if any.</summary>
    public GroupingCache? Cache => cache;

    public ValueTask RunAsync(EventContext context, CancellationToken cancellationToken)
    {
        var config = context.Key.Grouping;
        context.Grouping = GroupingEngine.Compute(context.Event!, config, cache);
        context.Metadata = EventMetadataDeriver.Derive(context.Event!, config, context.Grouping);
        return ValueTask.CompletedTask;
    }
}
