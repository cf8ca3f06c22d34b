namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// Decides which of a project's rules fire for one applied event (reference §3.2), without I/O:
/// the issue must be unresolved after the event, the rule's environment must match, the rule must not
/// have fired for the issue within its frequency (measured on received times), the filters must pass
/// by <c>filterMatch</c>, then the conditions by <c>actionMatch</c>.
/// </summary>
public static class RuleEvaluator
{
    /// <summary>The rules that fire, in the order given.</summary>
    /// <param name="rules">The project's active rules.</param>
    /// <param name="context">The event, the issue and what happened to it.</param>
    /// <param name="lastFired">When each rule last fired for this issue (received time of its event); absent when never.</param>
    public static IReadOnlyList<RuleFiring> Evaluate(IReadOnlyList<CompiledRule> rules, RuleEvaluationContext context, IReadOnlyDictionary<long, DateTimeOffset> lastFired)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lastFired);
        if (rules.Count == 0 || !context.Transition.IsUnresolved)
        {
            return [];
        }

        List<RuleFiring>? fired = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (Fires(rule, context, lastFired) is { } reasons)
            {
                (fired ??= []).Add(new RuleFiring(rule, reasons));
            }
        }

        return fired ?? (IReadOnlyList<RuleFiring>)[];
    }

    private static IReadOnlyList<string>? Fires(CompiledRule rule, RuleEvaluationContext context, IReadOnlyDictionary<long, DateTimeOffset> lastFired)
    {
        if (rule.Rule.Status != Rules.RuleStatus.Active)
        {
            return null;
        }

        if (rule.Rule.Environment is { } environment && !string.Equals(environment, context.Event.Environment, StringComparison.Ordinal))
        {
            return null;
        }

        // Sentry claims the (rule, issue) pair only when last_active < now - frequency.
        if (lastFired.TryGetValue(rule.Id, out var last) && last >= context.Now - rule.Frequency)
        {
            return null;
        }

        if (!FiltersPass(rule, context))
        {
            return null;
        }

        // Conditions as RuleMatch.Combine decides, in plain loops: this runs for every rule and event.
        var match = rule.Rule.ActionMatch;
        List<string>? held = null;
        var conditions = rule.Conditions;
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            var ok = condition.Passes(context);
            if (ok && condition.Reason.Length > 0)
            {
                (held ??= []).Add(condition.Reason);
            }

            if (match == Rules.RuleMatch.Any ? ok : match == Rules.RuleMatch.None ? ok : !ok)
            {
                // any: decided by the first that holds; none/all: failed by the first that holds/fails.
                return match == Rules.RuleMatch.Any ? held ?? (IReadOnlyList<string>)[] : null;
            }
        }

        return match == Rules.RuleMatch.Any ? null : held ?? (IReadOnlyList<string>)[];
    }

    private static bool FiltersPass(CompiledRule rule, RuleEvaluationContext context)
    {
        var match = rule.Rule.FilterMatch;
        var filters = rule.Filters;
        for (var i = 0; i < filters.Count; i++)
        {
            var ok = filters[i].Passes(context);
            if (match == Rules.RuleMatch.Any ? ok : match == Rules.RuleMatch.None ? ok : !ok)
            {
                return match == Rules.RuleMatch.Any;
            }
        }

        return match != Rules.RuleMatch.Any;
    }
}
