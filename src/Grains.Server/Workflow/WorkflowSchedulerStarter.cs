using Grains.Monitoring.Issues.Workflow;

namespace Grains.Server.Workflow;

/// <summary>Registers the workflow scheduler's reminder once the silo runs (idempotent at every start).</summary>
public sealed partial class WorkflowSchedulerStarter(IGrainFactory grains, ILogger<WorkflowSchedulerStarter> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IWorkflowSchedulerGrain>(0).StartAsync().WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Without the reminder only the timed transitions wait; the server itself works.
            LogStartFailed(exception);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Error, "The workflow scheduler's reminder could not be registered; timed issue transitions wait until the next start")]
    private partial void LogStartFailed(Exception exception);
}
