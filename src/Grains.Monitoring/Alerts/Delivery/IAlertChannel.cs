namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>One kind of destination (<see cref="AlertDeliveryKinds"/>): sends a message, within the attempt's cancellation (the per-attempt timeout).</summary>
public interface IAlertChannel
{
    /// <summary>The <see cref="AlertDelivery.Kind"/> this channel sends.</summary>
    string Kind { get; }

    /// <summary>Whether deliveries of this kind due together are sent as one message (email digests).</summary>
    bool Batches { get; }

    /// <summary>Sends; never throws for a receiver's failure (returns it), only for cancellation by the caller.</summary>
    Task<AlertAttemptResult> SendAsync(AlertMessage message, CancellationToken cancellationToken);
}
