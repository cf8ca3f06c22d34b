namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// One firing sent to one destination (a webhook URL, the Slack webhook, the project's email
/// recipients), as the outbox keeps it.
/// </summary>
/// <param name="Id">32 hex digits derived from the firing id and the destination (<see cref="AlertDeliveryIds"/>): the idempotency key the receiver sees.</param>
/// <param name="FiringId">The firing (<see cref="AlertFiring.Id"/>).</param>
/// <param name="ProjectId">The firing's project.</param>
/// <param name="Kind">One of <see cref="AlertDeliveryKinds"/>.</param>
/// <param name="Target">The webhook URL for <see cref="AlertDeliveryKinds.Webhooks"/>; empty for the others (their secrets and recipients are read when sending).</param>
/// <param name="Status">Pending, delivered or dead.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="NextAttemptAt">When a pending delivery is due.</param>
/// <param name="LastError">Why the last attempt failed (no secrets), or null.</param>
/// <param name="LastStatusCode">The receiver's HTTP status (or SMTP reply code) of the last attempt, or null.</param>
/// <param name="FiredAt">When the firing's event was received (delivery latency is measured from it).</param>
/// <param name="CreatedAt">When the delivery was created.</param>
/// <param name="DeliveredAt">When it was delivered, or null.</param>
public sealed record AlertDelivery(
    string Id,
    string FiringId,
    long ProjectId,
    string Kind,
    string Target,
    AlertDeliveryStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset FiredAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);
