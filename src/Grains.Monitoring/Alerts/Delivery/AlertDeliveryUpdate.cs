namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>The outcome of an attempt, written after the send (so a crash in between resends; the receiver drops it by id).</summary>
/// <param name="Id">The delivery.</param>
/// <param name="Status">Its new status.</param>
/// <param name="Attempts">Attempts made, this one included.</param>
/// <param name="NextAttemptAt">When a still-pending delivery is due again.</param>
/// <param name="LastError">Why the attempt failed (no secrets), or null.</param>
/// <param name="LastStatusCode">The receiver's status code, or null.</param>
/// <param name="DeliveredAt">When it was delivered, or null.</param>
public sealed record AlertDeliveryUpdate(
    string Id,
    AlertDeliveryStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    int? LastStatusCode,
    DateTimeOffset? DeliveredAt);
