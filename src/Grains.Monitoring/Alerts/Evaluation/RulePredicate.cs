namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>One compiled condition or filter of a rule: a pure test over the evaluation context.</summary>
public abstract class RulePredicate
{
    /// <summary>What a condition that held contributes to <see cref="AlertFiring.Reasons"/> (e.g. <c>first_seen</c>); empty for filters.</summary>
    public virtual string Reason => "";

    /// <summary>Whether the predicate needs the event JSON (<see cref="RuleEvaluationContext.EventJson"/>), which is then parsed once for all rules.</summary>
    public virtual bool NeedsEventJson => false;

    /// <summary>Whether the predicate reads <see cref="RuleEvaluationContext.LatestRelease"/>, which the caller then looks up.</summary>
    public virtual bool NeedsLatestRelease => false;

    public abstract bool Passes(RuleEvaluationContext context);
}
