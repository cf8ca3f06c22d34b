namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>First seen, regression and reappeared: what the event did to the issue (reference §3.1).</summary>
internal sealed class TransitionCondition(TransitionCondition.Kind kind, bool hasEnvironment) : RulePredicate
{
    public enum Kind
    {
        FirstSeen,
        Regression,
        Reappeared,
    }

    public override string Reason => kind switch
    {
        Kind.FirstSeen => "first_seen",
        Kind.Regression => "regression",
        _ => "reappeared",
    };

    public override bool Passes(RuleEvaluationContext context) => kind switch
    {
        // Sentry: a rule with an environment fires on the first event in that environment.
        Kind.FirstSeen => hasEnvironment ? context.IsNewInEnvironment : context.Transition.IsNew,
        Kind.Regression => context.Transition.IsRegression,
        _ => context.Transition.HasReappeared,
    };
}
