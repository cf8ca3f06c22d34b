using System.Text.Json.Nodes;
using Grains.Monitoring.Events;

namespace Grains.Monitoring.Pipeline.Steps;

/// <summary>
/// Step 3: derive the facts the issue grain needs (tags, user, release, …) and record on the event
/// which grouping config and hashes grouped it. The full grouping info (variants, component tree,
/// hints) is recomputed from the stored event when the API asks for it, as Sentry does: building and
/// storing it for every event would cost more than the rest of the pipeline together.
/// </summary>
public sealed class DeriveFactsStep : IEventPipelineStep
{
    /// <summary>The event field holding the grouping config id and the hashes of the event.</summary>
    public const string GroupingInfoField = "_grouping";

    public string Name => "facts";

    public ValueTask RunAsync(EventContext context, CancellationToken cancellationToken)
    {
        context.Facts = EventFactsBuilder.Build(context.Key.Project.Id, context.Event!, context.Grouping!, context.Metadata!);
        // Store the derived tags with the event, as Sentry does, so the event's tags match the issue's.
        var tags = new JsonArray();
        foreach (var (key, value) in context.Facts.Tags)
        {
            tags.Add(new JsonArray(key, value));
        }

        context.Event!["tags"] = tags;

        var hashes = new JsonArray();
        foreach (var hash in context.Grouping!.Hashes)
        {
            hashes.Add(hash);
        }

        context.Event![GroupingInfoField] = new JsonObject { ["grouping_config"] = context.Grouping.ConfigId, ["hashes"] = hashes };
        return ValueTask.CompletedTask;
    }
}
