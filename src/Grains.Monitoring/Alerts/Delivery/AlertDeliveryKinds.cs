namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>The kinds of destination a firing is delivered to (the <c>kind</c> column of a delivery).</summary>
public static class AlertDeliveryKinds
{
    /// <summary>One URL of Sentry's legacy webhooks plugin; the delivery's target is the URL.</summary>
    public const string Webhooks = "webhooks";

    /// <summary>The project's Slack-compatible incoming webhook (the legacy <c>slack</c> plugin); the URL is a secret read at send time, never stored in the delivery.</summary>
    public const string Slack = "slack";

    /// <summary>An email to the project's alert recipients, read at send time.</summary>
    public const string Email = "email";

    /// <summary>The text form of a status, as stored and as the API shows it.</summary>
    public static string StatusName(AlertDeliveryStatus status) => status switch
    {
        AlertDeliveryStatus.Pending => "pending",
        AlertDeliveryStatus.Delivered => "delivered",
        _ => "dead",
    };

    /// <summary>Parses a stored or requested status; null when unknown.</summary>
    public static AlertDeliveryStatus? ParseStatus(string? value) => value switch
    {
        "pending" => AlertDeliveryStatus.Pending,
        "delivered" => AlertDeliveryStatus.Delivered,
        "dead" => AlertDeliveryStatus.Dead,
        _ => null,
    };
}
