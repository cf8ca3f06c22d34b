using System.Text.Json.Nodes;
using Grains.Monitoring.Projects;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The rule Sentry gives a new project (<c>receivers/rules.py</c>): "Send a notification for new issues",
/// first seen → email to the issue owners, falling through to the recently active members.
/// </summary>
public static class DefaultAlertRule
{
    public const string Label = "Send a notification for new issues";

    /// <summary>The default rule of <paramref name="projectId"/> (not stored).</summary>
    public static AlertRule For(long projectId, DateTimeOffset now) => new()
    {
        ProjectId = projectId,
        Label = Label,
        ActionMatch = RuleMatch.All,
        FilterMatch = RuleMatch.All,
        Frequency = RuleValidator.DefaultFrequency,
        ConditionsJson = new JsonArray(new JsonObject { ["id"] = RuleNodeIds.FirstSeen }).ToJsonString(),
        FiltersJson = "[]",
        ActionsJson = new JsonArray(new JsonObject
        {
            ["id"] = RuleNodeIds.NotifyEmail,
            ["targetType"] = "IssueOwners",
            ["fallthroughType"] = "ActiveMembers",
        }).ToJsonString(),
        DateCreated = now,
        Source = RuleSource.Default,
    };

    /// <summary>
    /// Creates the project's default rule unless it ever had one (idempotent: a retried project creation
    /// or a re-run seeder adds nothing, and a deleted default rule stays deleted). Returns the new rule or null.
    /// </summary>
    public static async Task<AlertRule?> EnsureAsync(IRuleStore store, long projectId, TimeProvider? time = null, ProjectChangeNotifier? notifier = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var created = await store.CreateDefaultAsync(For(projectId, Storage.Relational.StoreTime.Truncate((time ?? TimeProvider.System).GetUtcNow())), cancellationToken).ConfigureAwait(false);
        if (created is not null)
        {
            notifier?.Notify(projectId);
        }

        return created;
    }
}
