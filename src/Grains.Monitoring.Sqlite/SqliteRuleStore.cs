using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary><see cref="IRuleStore"/> in the <c>alert_rules</c> table of the shared <see cref="SqliteDatabase"/> (monitoring schema version 8).</summary>
public sealed class SqliteRuleStore : IRuleStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteRuleStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertRule>> ListAsync(long projectId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<AlertRule>>(_database.Read(projectId, static (connection, project) =>
            ReadAll(connection.Prepared(RuleSql.SelectProject).Set("@project_id", project))));
    }

    /// <inheritdoc />
    public Task<AlertRule?> GetAsync(long projectId, long ruleId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((projectId, ruleId), static (connection, s) =>
            ReadAll(connection.Prepared(RuleSql.SelectOne).Set("@project_id", s.projectId).Set("@id", s.ruleId)).FirstOrDefault()));
    }

    /// <inheritdoc />
    public async Task<AlertRule> CreateAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var id = await _database.WriteAsync("rules.create", rule, static (connection, r) =>
            (long)Bind(connection.Prepared(RuleSql.Insert), r).ExecuteScalar()!, cancellationToken).ConfigureAwait(false);
        return rule with { Id = id };
    }

    /// <inheritdoc />
    public async Task<AlertRule?> CreateDefaultAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var id = await _database.WriteAsync("rules.create_default", rule with { Source = RuleSource.Default }, static (connection, r) =>
            Bind(connection.Prepared(RuleSql.InsertDefault), r).ExecuteScalar() as long?, cancellationToken).ConfigureAwait(false);
        return id is { } value ? rule with { Id = value, Source = RuleSource.Default } : null;
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return _database.WriteAsync("rules.update", rule, static (connection, r) =>
            Bind(connection.Prepared(RuleSql.Update), r).ExecuteNonQuery() > 0, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(long projectId, long ruleId, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("rules.delete", (projectId, ruleId), static (connection, s) =>
            connection.Prepared(RuleSql.Delete).Set("@project_id", s.projectId).Set("@id", s.ruleId).ExecuteNonQuery() > 0, cancellationToken);

    private static SqliteCommand Bind(SqliteCommand command, AlertRule rule)
    {
        foreach (var (name, value) in RuleSql.TextParameters(rule))
        {
            if (command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                command.Set(name, value);
            }
        }

        foreach (var (name, value) in RuleSql.IntegerParameters(rule))
        {
            if (command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                command.Set(name, value);
            }
        }

        return command;
    }

    private static List<AlertRule> ReadAll(SqliteCommand command)
    {
        var rules = new List<AlertRule>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rules.Add(RuleSql.Read(reader));
        }

        return rules;
    }
}
