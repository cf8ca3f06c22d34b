using Grains.Monitoring.Events;
using Grains.Monitoring.Issues.Workflow;

namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// What a rule is evaluated against for one applied event: the event, the issue after the event,
/// what the event did to it, its windowed counts and the project's latest release. All of it is in
/// memory in the issue grain's turn, so evaluation does no I/O.
/// </summary>
public sealed class RuleEvaluationContext
{
    public required EventFacts Event { get; init; }

    /// <summary>The stored event JSON, parsed lazily.</summary>
    public EventJsonView EventJson { get; init; } = new(ReadOnlyMemory<byte>.Empty);

    public required IssueTransition Transition { get; init; }

    /// <summary>The issue's first seen time after this event.</summary>
    public required DateTimeOffset IssueFirstSeen { get; init; }

    /// <summary>The issue's event count after this event (Sentry's <c>times_seen</c>).</summary>
    public required long IssueTimesSeen { get; init; }

    /// <summary>The issue's windowed counts, including this event.</summary>
    public required IIssueRates Rates { get; init; }

    /// <summary>The project's latest release, or null when it has none (or it is unknown).</summary>
    public string? LatestRelease { get; init; }

    /// <summary>This is the issue's first event in the event's environment (first seen for a rule with an environment).</summary>
    public bool IsNewInEnvironment { get; init; }

    /// <summary>The evaluation's "now": the event's received time, so a redelivered batch decides as before.</summary>
    public DateTimeOffset Now => Event.Received;
}
