namespace Grains.Monitoring.Outcomes;

/// <summary>
/// One stored hourly outcome count: whose items (organization, project, DSN public key or none),
/// which hour (unix seconds of its start), data category, outcome and reason, how much
/// (<see cref="Quantity"/>: items, or bytes for attachments) and in how many recorded outcomes
/// (<see cref="TimesSeen"/>, Sentry's <c>times_seen</c>).
/// </summary>
public readonly record struct OutcomeRow(
    long OrganizationId,
    long ProjectId,
    string? PublicKey,
    long HourStart,
    string Category,
    OutcomeKind Outcome,
    string? Reason,
    long Quantity,
    long TimesSeen);
