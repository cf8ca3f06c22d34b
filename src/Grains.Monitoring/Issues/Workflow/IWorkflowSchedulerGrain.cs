namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// The one scheduler of timed issue transitions (key 0): an Orleans reminder every
/// <see cref="WorkflowOptions.ScanPeriod"/> asks the workflow store for due issues and calls each one's grain.
/// </summary>
[Alias("Grains.Monitoring.IWorkflowSchedulerGrain")]
public interface IWorkflowSchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or updates) the reminder; idempotent, called at every start.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Runs one scan now; returns how many issues changed.</summary>
    [Alias("Scan")]
    Task<int> ScanAsync();
}
