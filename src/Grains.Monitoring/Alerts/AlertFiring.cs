namespace Grains.Monitoring.Alerts;

/// <summary>
/// One firing of an issue alert rule for one issue, recorded by the issue grain in the turn that
/// applied the triggering event and delivered later from the outbox (<see cref="IAlertOutbox"/>).
/// </summary>
/// <remarks>
/// Everything here is derived from the event and the issue state that preceded it, so a batch that is
/// redelivered after a crash computes the same firings with the same <see cref="Id"/>, and the outbox
/// keeps the first. The event itself is not copied: it is stored before the firing is recorded and is
/// read by id when a payload needs it.
/// </remarks>
/// <param name="Id">32 lower-case hex digits derived from the issue grain key, the event's stream offset and the rule id; the idempotency key of every delivery of this firing.</param>
/// <param name="ProjectId">The issue's project.</param>
/// <param name="IssueId">The issue (group) id.</param>
/// <param name="RuleId">The rule that fired.</param>
/// <param name="RuleLabel">The rule's name at firing time (<c>triggering_rules</c> in the webhook payload).</param>
/// <param name="EventId">The triggering event's id (32 hex).</param>
/// <param name="FiredAt">When the triggering event was received (not the wall clock, so a redelivery fires at the same time).</param>
/// <param name="ActionsJson">The rule's actions at firing time: a JSON array of Sentry action nodes (<c>{"id": "…", …}</c>).</param>
/// <param name="Reasons">Which conditions held, e.g. <c>first_seen</c>, <c>regression</c>, <c>reappeared</c>, <c>event_frequency</c>.</param>
[GenerateSerializer, Alias("Grains.Monitoring.Alerts.AlertFiring")]
public sealed record AlertFiring(
    [property: Id(0)] string Id,
    [property: Id(1)] long ProjectId,
    [property: Id(2)] long IssueId,
    [property: Id(3)] long RuleId,
    [property: Id(4)] string RuleLabel,
    [property: Id(5)] string EventId,
    [property: Id(6)] DateTimeOffset FiredAt,
    [property: Id(7)] string ActionsJson,
    [property: Id(8)] IReadOnlyList<string> Reasons);
