using Microsoft.Extensions.Logging;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// The deliverer's structured logs. Targets are always redacted (<see cref="Actions.WebhookUrls.Redact"/>):
/// no Slack webhook path, URL credentials or query string, SMTP password or recipient list is logged.
/// </summary>
internal static partial class AlertDeliveryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Alert delivery {DeliveryId} ({Kind} {Target}) of firing {FiringId} delivered on attempt {Attempt} ({StatusCode})")]
    public static partial void Delivered(ILogger logger, string deliveryId, string kind, string target, string firingId, int attempt, int? statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert delivery {DeliveryId} ({Kind} {Target}) attempt {Attempt} of {MaxAttempts} failed: {Error}; retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string deliveryId, string kind, string target, int attempt, int maxAttempts, string error, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert delivery {DeliveryId} ({Kind} {Target}) dead-lettered after attempt {Attempt}: {Error}")]
    public static partial void DeadLettered(ILogger logger, string deliveryId, string kind, string target, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert firing {FiringId} of project {ProjectId} expanded into {Count} deliveries")]
    public static partial void Expanded(ILogger logger, string firingId, long projectId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert deliverer of project {ProjectId} failed a pass; the sweep retries it")]
    public static partial void PassFailed(ILogger logger, Exception exception, long projectId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert delivery sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
