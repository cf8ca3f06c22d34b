namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>The issue has been seen at least <c>value</c> times (this event included).</summary>
internal sealed class IssueOccurrencesFilter(long value) : RulePredicate
{
    public override bool Passes(RuleEvaluationContext context) => context.IssueTimesSeen >= value;
}
