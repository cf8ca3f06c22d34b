using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary><see cref="IRuleStore"/> in the <c>alert_rules</c> table of a shared <see cref="PostgresDatabase"/>, with the statements of the SQLite store.</summary>
public sealed class PostgresRuleStore : IRuleStore
{
    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresRuleStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertRule>> ListAsync(long projectId, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(RuleSql.SelectProject);
        command.Parameters.With("@project_id", projectId);
        return await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AlertRule?> GetAsync(long projectId, long ruleId, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(RuleSql.SelectOne);
        command.Parameters.With("@project_id", projectId).With("@id", ruleId);
        return (await ReadAllAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<AlertRule> CreateAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Bind(_database.DataSource.CreateCommand(RuleSql.Insert), rule);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return rule with { Id = id };
    }

    /// <inheritdoc />
    public async Task<AlertRule?> CreateDefaultAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        var stored = rule with { Source = RuleSource.Default };
        await using var command = Bind(_database.DataSource.CreateCommand(RuleSql.InsertDefault), stored);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? stored with { Id = id } : null;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(AlertRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Bind(_database.DataSource.CreateCommand(RuleSql.Update), rule);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(long projectId, long ruleId, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(RuleSql.Delete);
        command.Parameters.With("@project_id", projectId).With("@id", ruleId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, AlertRule rule)
    {
        foreach (var (name, value) in RuleSql.TextParameters(rule))
        {
            if (command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.WithText(name, value);
            }
        }

        foreach (var (name, value) in RuleSql.IntegerParameters(rule))
        {
            if (command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.With(name, value);
            }
        }

        return command;
    }

    private static async Task<IReadOnlyList<AlertRule>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rules = new List<AlertRule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rules.Add(RuleSql.Read(reader));
        }

        return rules;
    }
}
