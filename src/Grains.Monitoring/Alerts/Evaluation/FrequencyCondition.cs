namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// Event or distinct-user frequency (Sentry's <c>EventFrequencyCondition</c> and
/// <c>EventUniqueUserFrequencyCondition</c>): the count in the last <c>interval</c> (ending with
/// this event) is above <c>value</c>, or, comparing by percent, it is more than <c>value</c> percent
/// above the same window <c>comparisonInterval</c> earlier.
/// </summary>
internal sealed class FrequencyCondition(bool users, double value, TimeSpan interval, TimeSpan? comparison) : RulePredicate
{
    public override string Reason => users ? "event_unique_user_frequency" : "event_frequency";

    public override bool Passes(RuleEvaluationContext context)
    {
        // Sentry's short-cut: on the first event a count above 1 cannot have been reached, so no counts are read.
        if (comparison is null && context.Transition.IsNew && value >= 1)
        {
            return false;
        }

        // The window ends just after this event (its timestamp is clamped to the received time), so it counts.
        var end = context.Now.AddTicks(1);
        var current = Count(context, end - interval, end);
        if (comparison is not { } offset)
        {
            return current > value;
        }

        var previous = Count(context, end - offset - interval, end - offset);

        // Sentry's percent_increase: 0 when there is nothing to compare with, so such a rule does not fire.
        var increase = previous > 0 ? Math.Truncate((current / (double)previous * 100) - 100) : 0;
        return increase > value;
    }

    private long Count(RuleEvaluationContext context, DateTimeOffset from, DateTimeOffset to) =>
        users ? context.Rates.UsersBetween(from, to) : context.Rates.EventsBetween(from, to);
}
