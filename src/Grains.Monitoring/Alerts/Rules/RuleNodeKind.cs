namespace Grains.Monitoring.Alerts.Rules;

/// <summary>Where a rule node goes: the rule's <c>conditions</c> ("when"), <c>filters</c> ("if") or <c>actions</c> ("then").</summary>
public enum RuleNodeKind
{
    Condition,
    Filter,
    Action,
}
