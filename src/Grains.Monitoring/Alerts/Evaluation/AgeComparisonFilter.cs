namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>The issue is older or newer than a span: <c>first_seen + span</c> before (older) or after (newer) now.</summary>
internal sealed class AgeComparisonFilter(bool older, TimeSpan span) : RulePredicate
{
    public override bool Passes(RuleEvaluationContext context)
    {
        var threshold = context.IssueFirstSeen + span;
        return older ? threshold < context.Now : threshold > context.Now;
    }
}
