namespace Grains.Monitoring.Pipeline;

/// <summary>One named step of the ingest pipeline (see <see cref="EventPipeline"/> for the order).</summary>
public interface IEventPipelineStep
{
    /// <summary>The step's name, for traces and logs.</summary>
    string Name { get; }

    /// <summary>Runs the step on one event.</summary>
    ValueTask RunAsync(EventContext context, CancellationToken cancellationToken);
}
