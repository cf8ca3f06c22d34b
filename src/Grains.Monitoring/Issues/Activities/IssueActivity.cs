namespace Grains.Monitoring.Issues.Activities;

/// <summary>
/// One change on an issue (Sentry's <c>Activity</c>), stored durably.
/// </summary>
/// <param name="Key">Deterministic idempotency key (e.g. <c>{issueId}:{streamOffset}:{type}</c> for an event's change): a redelivered batch inserts nothing twice.</param>
/// <param name="IssueId">The issue.</param>
/// <param name="Type">Sentry's lower-case <c>ActivityType</c> name (<see cref="ActivityTypes"/>).</param>
/// <param name="DataJson">The activity's <c>data</c> object.</param>
/// <param name="DateCreated">When it happened.</param>
[GenerateSerializer, Alias("Grains.Monitoring.IssueActivity")]
public sealed record IssueActivity(
    [property: Id(0)] string Key,
    [property: Id(1)] long IssueId,
    [property: Id(2)] string Type,
    [property: Id(3)] string DataJson,
    [property: Id(4)] DateTimeOffset DateCreated)
{
    /// <summary>The store's id (0 before it is stored).</summary>
    [Id(5)]
    public long Id { get; init; }
}
