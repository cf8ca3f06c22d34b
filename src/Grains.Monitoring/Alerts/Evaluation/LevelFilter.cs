namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>The event's level compared with a level (Sentry's numbers: fatal 50, error 40, warning 30, info 20, debug 10, sample 0).</summary>
internal sealed class LevelFilter(string match, int level) : RulePredicate
{
    public override bool Passes(RuleEvaluationContext context)
    {
        if (Number(context.Event.Level) is not { } actual)
        {
            return false;
        }

        return match switch
        {
            "gte" => actual >= level,
            "lte" => actual <= level,
            _ => actual == level,
        };
    }

    /// <summary>The number of a level name as events carry it, or null for an unknown one.</summary>
    public static int? Number(string? name) => name?.ToLowerInvariant() switch
    {
        "fatal" or "critical" => 50,
        "error" => 40,
        "warning" or "warn" => 30,
        "info" or "log" => 20,
        "debug" => 10,
        "sample" => 0,
        _ => null,
    };
}
