using Grains.Monitoring.Alerts.Rules;

namespace Grains.Monitoring.Storage.Relational;

/// <summary><see cref="IRuleStore"/> in the <c>alert_rules</c> table, over a backend's <see cref="StoreCommands"/>.</summary>
public abstract class RelationalRuleStore : IRuleStore
{
    private readonly StoreCommands _commands;

    protected RelationalRuleStore(StoreCommands commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertRule>> ListAsync(long projectId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(RuleSql.SelectProject, [("@project_id", projectId)]), RuleSql.Read, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<AlertRule?> GetAsync(long projectId, long ruleId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(new(RuleSql.SelectOne, [("@project_id", projectId), ("@id", ruleId)]), RuleSql.Read, cancellationToken);

    /// <inheritdoc />
    public async Task<AlertRule> CreateAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var id = await _commands.WriteScalarAsync("rules.create", RuleSql.Statement(RuleSql.Insert, rule), cancellationToken).ConfigureAwait(false);
        return rule with { Id = (long)id! };
    }

    /// <inheritdoc />
    public async Task<AlertRule?> CreateDefaultAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var stored = rule with { Source = RuleSource.Default };
        return await _commands.WriteScalarAsync("rules.create_default", RuleSql.Statement(RuleSql.InsertDefault, stored), cancellationToken).ConfigureAwait(false) is long id
            ? stored with { Id = id }
            : null;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return await _commands.ExecuteAsync("rules.update", RuleSql.Statement(RuleSql.Update, rule), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(long projectId, long ruleId, CancellationToken cancellationToken = default) =>
        await _commands.ExecuteAsync("rules.delete", new(RuleSql.Delete, [("@project_id", projectId), ("@id", ruleId)]), cancellationToken).ConfigureAwait(false) > 0;
}
