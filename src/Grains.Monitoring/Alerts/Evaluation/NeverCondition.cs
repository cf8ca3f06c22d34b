namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// A condition Grains accepts but cannot meet: <c>EventFrequencyPercentCondition</c> (issue events as a
/// percentage of the project's sessions) needs session counts, which Grains does not ingest; Sentry
/// itself treats a project with fewer than 50 sessions in the last hour as not meeting it.
/// </summary>
internal sealed class NeverCondition(string reason) : RulePredicate
{
    public override string Reason => reason;

    public override bool Passes(RuleEvaluationContext context) => false;
}
