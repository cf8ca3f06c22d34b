namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>The event's tags match <c>key</c> <c>match</c> <c>value</c> (keys compared case-insensitively, as Sentry does).</summary>
internal sealed class TaggedEventFilter(string key, string match, string value) : RulePredicate
{
    public override bool Passes(RuleEvaluationContext context)
    {
        var values = new List<string>();
        foreach (var (k, v) in context.Event.Tags)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(v);
            }
        }

        return ValueMatch.Matches(match, values, value);
    }
}
