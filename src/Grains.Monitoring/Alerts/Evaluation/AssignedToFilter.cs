namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// The issue is assigned to nobody, a team or a member. Grains has no assignment yet, so every issue
/// is unassigned: <c>Unassigned</c> always holds, a team or member never does.
/// </summary>
internal sealed class AssignedToFilter(string targetType) : RulePredicate
{
    public override bool Passes(RuleEvaluationContext context) => targetType == "Unassigned";
}
