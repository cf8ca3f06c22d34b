using Grains.Monitoring.Issues;

namespace Grains.Monitoring.Pipeline.Steps;

/// <summary>Step 4: find the issue the event's hashes are linked to (or name the new issue's grain).</summary>
public sealed class LocateIssueStep(IssueLocator locator) : IEventPipelineStep
{
    public string Name => "locate-issue";

    public async ValueTask RunAsync(EventContext context, CancellationToken cancellationToken) =>
        context.IssueGrainKey = await locator.LocateAsync(context.Key.Project.Id, context.Facts!.Hashes, cancellationToken);
}
