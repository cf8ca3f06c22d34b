namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>Where a delivery stands: waiting for its (next) attempt, sent, or given up after the last attempt.</summary>
public enum AlertDeliveryStatus
{
    /// <summary>Not sent yet (or its last attempt failed); it is due at its next attempt time.</summary>
    Pending,

    /// <summary>The receiver accepted it.</summary>
    Delivered,

    /// <summary>Every attempt failed (or it cannot be sent); it stays until someone retries it through the API.</summary>
    Dead,
}
