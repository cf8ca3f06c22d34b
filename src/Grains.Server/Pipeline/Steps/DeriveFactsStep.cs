using Grains.Monitoring.Events;

namespace Grains.Server.Pipeline.Steps;

/// <summary>Step 3: derive the facts the issue grain needs (tags, user, release, …) and record the grouping info on the event.</summary>
public sealed class DeriveFactsStep : IEventPipelineStep
{
    /// <summary>The event field holding the grouping info (why the event grouped as it did).</summary>
    public const string GroupingInfoField = "_grouping";

    public string Name => "facts";

    public ValueTask RunAsync(EventContext context, CancellationToken cancellationToken)
    {
        context.Facts = EventFactsBuilder.Build(context.Key.Project.Id, context.Event!, context.Grouping!, context.Metadata!);
        context.Event![GroupingInfoField] = context.Grouping!.ToJson();
        return ValueTask.CompletedTask;
    }
}
