using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>Rule evaluation's traces and metrics (ActivitySource and meter <c>Grains.Alerts.Rules</c>).</summary>
public static class RuleInstruments
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Grains.Alerts.Rules";

    /// <summary>The span of evaluating a batch's events against the project's rules (only for projects with rules).</summary>
    public const string EvaluateBatch = "evaluate alert rules";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Rules that fired, by rule id (a redelivered batch counts its firings again; the outbox keeps one).</summary>
    public static readonly Counter<long> Fired = Meter.CreateCounter<long>(
        "grains.alerts.fired", unit: "{firing}", description: "Alert rules that fired for an applied event, by rule id.");
}
