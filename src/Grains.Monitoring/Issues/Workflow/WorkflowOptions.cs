namespace Grains.Monitoring.Issues.Workflow;

/// <summary>The issue workflow's timings and thresholds (<c>Grains:Workflow</c>).</summary>
public sealed class WorkflowOptions
{
    public const string SectionName = "Grains:Workflow";

    /// <summary>
    /// How long an unresolved issue stays new, regressed or escalating before it becomes ongoing
    /// (activity <c>auto_set_ongoing</c>). Default 7 days, Sentry's <c>TRANSITION_AFTER_DAYS</c>.
    /// </summary>
    public TimeSpan OngoingAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often the scheduler looks for due transitions (ongoing after <see cref="OngoingAfter"/>,
    /// timed archives that ended without an event). Default 1 minute (Orleans' smallest reminder period
    /// unless <c>ReminderOptions.MinimumReminderPeriod</c> is lowered).
    /// </summary>
    public TimeSpan ScanPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Issues the scheduler moves per scan at most (the rest wait for the next scan). Default 500.</summary>
    public int ScanBatch { get; set; } = 500;

    /// <summary>
    /// "Archive until escalating": the issue escalates when its events in the last hour exceed this many
    /// times its average hourly count over the week before (or its life, when younger). Default 5.
    /// </summary>
    public double EscalationFactor { get; set; } = 5;

    /// <summary>… and exceed this many events in the last hour at least (a young or quiet issue's floor). Default 10.</summary>
    public long EscalationFloor { get; set; } = 10;
}
