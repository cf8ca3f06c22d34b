using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Grains.Monitoring.Issues.Workflow;

/// <inheritdoc cref="IWorkflowSchedulerGrain"/>
/// <remarks>
/// Reminders are durable (SQLite, PostgreSQL or Azure tables), so the scan survives restarts and runs
/// on one silo of a cluster. Each issue's transition runs in its own grain's turn (no race with its
/// events); an issue that is no longer due only rewrites its due time. A scan takes at most
/// <see cref="WorkflowOptions.ScanBatch"/> issues, the rest follow on the next tick.
/// </remarks>
public sealed partial class WorkflowSchedulerGrain(
    IWorkflowStore store,
    IOptions<WorkflowOptions> options,
    IOptions<ReminderOptions> reminders,
    TimeProvider time,
    ILogger<WorkflowSchedulerGrain> logger) : Grain, IWorkflowSchedulerGrain, IRemindable
{
    private const string ReminderName = "workflow-scan";

    /// <inheritdoc />
    public async Task StartAsync()
    {
        var period = options.Value.ScanPeriod < reminders.Value.MinimumReminderPeriod ? reminders.Value.MinimumReminderPeriod : options.Value.ScanPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    /// <inheritdoc />
    public async Task<int> ScanAsync()
    {
        var due = await store.GetDueAsync(time.GetUtcNow(), options.Value.ScanBatch);
        var changed = 0;
        foreach (var key in due)
        {
            try
            {
                changed += await GrainFactory.GetGrain<IIssueGrain>(key).RunScheduledAsync() ? 1 : 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One failing issue must not stop the others; it stays due and is retried next tick.
                LogIssueFailed(exception, key);
            }
        }

        if (due.Count > 0)
        {
            LogScanned(due.Count, changed);
        }

        return changed;
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == ReminderName ? ScanAsync() : Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "Workflow scheduler: the timed transition of issue {IssueGrain} failed; retried next scan")]
    private partial void LogIssueFailed(Exception exception, string issueGrain);

    [LoggerMessage(2, LogLevel.Information, "Workflow scheduler: {Due} issues due, {Changed} changed")]
    private partial void LogScanned(int due, int changed);
}
