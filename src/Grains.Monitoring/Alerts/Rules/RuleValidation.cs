namespace Grains.Monitoring.Alerts.Rules;

/// <summary>The outcome of validating a rule body: the rule to store, or Sentry's 400 body (field → messages; <c>ruleId</c> holds an id for a duplicate).</summary>
public sealed record RuleValidation(AlertRule? Rule, IReadOnlyDictionary<string, IReadOnlyList<object>> Errors)
{
    public bool IsValid => Rule is not null;
}
