namespace Grains.Monitoring.Alerts.Rules;

/// <summary>Issue alert rules of projects (the <c>alert_rules</c> table).</summary>
public interface IRuleStore
{
    /// <summary>A project's rules that are not deleted, newest first (Sentry lists <c>-id</c>).</summary>
    Task<IReadOnlyList<AlertRule>> ListAsync(long projectId, CancellationToken cancellationToken = default);

    /// <summary>A rule of the project that is not deleted, or null (also for another project's rule).</summary>
    Task<AlertRule?> GetAsync(long projectId, long ruleId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new rule; returns it with its id.</summary>
    Task<AlertRule> CreateAsync(AlertRule rule, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="rule"/> as the project's default rule unless the project ever had one
    /// (even if it was deleted since); returns it with its id, or null when there was one.
    /// </summary>
    Task<AlertRule?> CreateDefaultAsync(AlertRule rule, CancellationToken cancellationToken = default);

    /// <summary>Replaces the mutable fields (label, environment, status, data, owner) of a rule that is not deleted; false when there is none.</summary>
    Task<bool> UpdateAsync(AlertRule rule, CancellationToken cancellationToken = default);

    /// <summary>Marks a rule deleted; false when the project has no such rule.</summary>
    Task<bool> DeleteAsync(long projectId, long ruleId, CancellationToken cancellationToken = default);
}
