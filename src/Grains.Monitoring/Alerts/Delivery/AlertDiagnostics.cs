using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>Alert delivery's traces (ActivitySource <c>Grains.Alerts</c>, a span per attempt) and metrics (meter <c>Grains.Alerts</c>).</summary>
public static class AlertDiagnostics
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Grains.Alerts";

    /// <summary>Spans of the delivery attempts.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Attempts by kind and outcome (delivered, retry, dead).</summary>
    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "grains.alerts.delivery.attempts", unit: "{attempt}", description: "Alert delivery attempts, by destination kind and outcome (delivered, retry, dead).");

    /// <summary>Deliveries that ended in the dead-letter state, by kind.</summary>
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>(
        "grains.alerts.delivery.dead_letters", unit: "{delivery}", description: "Alert deliveries dead-lettered after their last attempt, by destination kind.");

    /// <summary>Firings recorded in the outbox (new ones; repeats are not counted).</summary>
    public static readonly Counter<long> Firings = Meter.CreateCounter<long>(
        "grains.alerts.firings", unit: "{firing}", description: "Alert firings recorded in the outbox (repeats of a recorded firing excluded).");

    /// <summary>Seconds from the firing's event being received to its delivery, by kind.</summary>
    public static readonly Histogram<double> Latency = Meter.CreateHistogram<double>(
        "grains.alerts.delivery.latency", unit: "s", description: "Time from the triggering event's receipt to the delivery's success, by destination kind.");
}
