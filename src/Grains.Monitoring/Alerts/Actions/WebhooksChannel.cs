using Grains.Monitoring.Alerts.Delivery;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>Sentry's legacy webhooks plugin: one JSON POST per delivery (per URL), the §3.3 body, <c>sentry-webhooks/&lt;version&gt;</c>.</summary>
public sealed class WebhooksChannel(AlertHttp http, AlertPayloads payloads) : IAlertChannel
{
    public string Kind => AlertDeliveryKinds.Webhooks;

    public bool Batches => false;

    public async Task<AlertAttemptResult> SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (delivery, firing) = message.Items[0];
        if (!PluginEnabledOption.Webhooks.Read(message.Options) || !WebhookUrlsOption.Instance.Read(message.Options).Contains(delivery.Target))
        {
            return AlertAttemptResult.Unsendable("the webhooks plugin is disabled or no longer has this URL");
        }

        var body = await payloads.WebhookAsync(message, firing, cancellationToken).ConfigureAwait(false);
        return await HttpAttempt.PostAsync(http.Client, delivery.Target, AlertHttp.WebhooksUserAgent, delivery.Id, body, cancellationToken).ConfigureAwait(false);
    }
}
