namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>The event is from the project's latest release (false when either is unknown, as in Sentry).</summary>
internal sealed class LatestReleaseFilter : RulePredicate
{
    public override bool NeedsLatestRelease => true;

    public override bool Passes(RuleEvaluationContext context) =>
        context.Event.Release is { } release && context.LatestRelease is { } latest && string.Equals(release, latest, StringComparison.Ordinal);
}
