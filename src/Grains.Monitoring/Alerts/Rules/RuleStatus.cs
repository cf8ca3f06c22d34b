namespace Grains.Monitoring.Alerts.Rules;

/// <summary>A rule's status as Sentry's API names it (<c>ObjectStatus</c>); deleted rules stay as rows so the default rule is never re-created.</summary>
public static class RuleStatus
{
    public const string Active = "active";

    public const string Disabled = "disabled";

    public const string Deleted = "deleted";
}
