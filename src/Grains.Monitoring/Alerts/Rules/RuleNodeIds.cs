namespace Grains.Monitoring.Alerts.Rules;

/// <summary>The node ids Grains knows: Sentry's full class paths, as its API takes and returns them.</summary>
public static class RuleNodeIds
{
    public const string FirstSeen = "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition";
    public const string Regression = "sentry.rules.conditions.regression_event.RegressionEventCondition";
    public const string Reappeared = "sentry.rules.conditions.reappeared_event.ReappearedEventCondition";
    public const string EventFrequency = "sentry.rules.conditions.event_frequency.EventFrequencyCondition";
    public const string EventUniqueUserFrequency = "sentry.rules.conditions.event_frequency.EventUniqueUserFrequencyCondition";
    public const string EventFrequencyPercent = "sentry.rules.conditions.event_frequency.EventFrequencyPercentCondition";

    public const string AgeComparison = "sentry.rules.filters.age_comparison.AgeComparisonFilter";
    public const string IssueOccurrences = "sentry.rules.filters.issue_occurrences.IssueOccurrencesFilter";
    public const string AssignedTo = "sentry.rules.filters.assigned_to.AssignedToFilter";
    public const string LatestRelease = "sentry.rules.filters.latest_release.LatestReleaseFilter";
    public const string Level = "sentry.rules.filters.level.LevelFilter";
    public const string TaggedEvent = "sentry.rules.filters.tagged_event.TaggedEventFilter";
    public const string EventAttribute = "sentry.rules.filters.event_attribute.EventAttributeFilter";

    public const string NotifyEventService = "sentry.rules.actions.notify_event_service.NotifyEventServiceAction";
    public const string NotifyEmail = "sentry.mail.actions.NotifyEmailAction";
    public const string NotifyEvent = "sentry.rules.actions.notify_event.NotifyEventAction";
}
