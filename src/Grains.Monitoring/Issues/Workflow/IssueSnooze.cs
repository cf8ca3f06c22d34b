namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// The conditions of an archive (Sentry's <c>GroupSnooze</c>): any one met brings the issue back.
/// </summary>
[GenerateSerializer, Alias("Grains.Monitoring.IssueSnooze")]
public sealed record IssueSnooze
{
    /// <summary>Archived until this time (<c>ignoreDuration</c>).</summary>
    [Id(0)]
    public DateTimeOffset? Until { get; init; }

    /// <summary>Events that end the archive (<c>ignoreCount</c>): within <see cref="Window"/> minutes, or since archiving when no window.</summary>
    [Id(1)]
    public long? Count { get; init; }

    [Id(2)]
    public long? Window { get; init; }

    /// <summary>Distinct users that end the archive (<c>ignoreUserCount</c>), within <see cref="UserWindow"/> or since archiving.</summary>
    [Id(3)]
    public long? UserCount { get; init; }

    [Id(4)]
    public long? UserWindow { get; init; }

    /// <summary>Archived until the issue escalates (<c>ignoreUntilEscalating</c>).</summary>
    [Id(5)]
    public bool UntilEscalating { get; init; }

    /// <summary>The issue's times seen when archived (Sentry's <c>state.times_seen</c>).</summary>
    [Id(6)]
    public long TimesSeen { get; init; }

    /// <summary>The issue's distinct users when archived.</summary>
    [Id(7)]
    public long UsersSeen { get; init; }

    /// <summary>Whether there is any condition (an archive without one is "forever").</summary>
    public bool HasCondition => Until is not null || Count is not null || UserCount is not null || UntilEscalating;
}
