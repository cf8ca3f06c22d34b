namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>A rule that fires for an event, with the reasons (the conditions that held).</summary>
public readonly record struct RuleFiring(CompiledRule Rule, IReadOnlyList<string> Reasons);
