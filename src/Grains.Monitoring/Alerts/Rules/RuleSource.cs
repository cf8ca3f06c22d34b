namespace Grains.Monitoring.Alerts.Rules;

/// <summary>Where a rule came from.</summary>
public static class RuleSource
{
    /// <summary>Created through the API.</summary>
    public const string Api = "api";

    /// <summary>The project's default rule (one per project, ever: deleting it does not bring it back).</summary>
    public const string Default = "default";
}
