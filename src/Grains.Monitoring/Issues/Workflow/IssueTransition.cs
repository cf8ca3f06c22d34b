namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// What one applied event did to its issue, as the issue grain's apply step decides it in the
/// issue's turn (so a redelivered event, which is not applied again, never yields a second transition).
/// Alert rule evaluation reads it: the first-seen, regression and reappeared conditions
/// (reference §3.1) are these flags, and rules run only when <see cref="Status"/> is unresolved (§3.2).
/// </summary>
/// <param name="IsNew">This event created the issue.</param>
/// <param name="IsRegression">A resolved issue regressed (its resolution does not cover the event's release, §2.2 <c>has_resolution</c>).</param>
/// <param name="HasReappeared">An archived issue came back (snooze condition met or escalating): now unresolved, substatus escalating (or ongoing when a timed archive ended).</param>
/// <param name="Status">The issue's status after the event: <c>unresolved</c>, <c>resolved</c> or <c>ignored</c>.</param>
[GenerateSerializer, Alias("Grains.Monitoring.IssueTransition")]
public readonly record struct IssueTransition(
    [property: Id(0)] bool IsNew,
    [property: Id(1)] bool IsRegression,
    [property: Id(2)] bool HasReappeared,
    [property: Id(3)] string Status = "unresolved")
{
    /// <summary>Rules are evaluated only for an issue that is unresolved after the event (§3.2 step 1).</summary>
    public bool IsUnresolved => Status == "unresolved";
}
