namespace Grains.Monitoring.Issues.Activities;

/// <summary>Sentry's activity type names (<c>src/sentry/types/activity.py</c>, lower case).</summary>
public static class ActivityTypes
{
    public const string SetResolved = "set_resolved";
    public const string SetUnresolved = "set_unresolved";
    public const string SetIgnored = "set_ignored";
    public const string SetRegression = "set_regression";
    public const string Note = "note";
    public const string FirstSeen = "first_seen";
    public const string SetResolvedInRelease = "set_resolved_in_release";
    public const string AutoSetOngoing = "auto_set_ongoing";
    public const string SetEscalating = "set_escalating";
}
