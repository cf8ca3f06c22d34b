namespace Grains.Monitoring.Alerts.Actions;

/// <summary>The rule action ids delivery understands (Sentry's class paths).</summary>
public static class AlertActionIds
{
    /// <summary>A legacy plugin chosen by <c>"service"</c> (<c>webhooks</c>, <c>slack</c>).</summary>
    public const string NotifyEventService = "sentry.rules.actions.notify_event_service.NotifyEventServiceAction";

    /// <summary>Every enabled legacy notification plugin.</summary>
    public const string NotifyEvent = "sentry.rules.actions.notify_event.NotifyEventAction";

    /// <summary>Email; every target resolves to the project's <c>mail:recipients</c>.</summary>
    public const string NotifyEmail = "sentry.mail.actions.NotifyEmailAction";
}
