using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IWorkflowStore"/> in a shared <see cref="PostgresDatabase"/>, with the statements of the
/// SQLite store. A turn's write is one batch (one implicit transaction); releases are written in key
/// order so that silos writing the same releases lock rows in one order.
/// </summary>
public sealed class PostgresWorkflowStore : IWorkflowStore
{
    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;

    // WorkflowSql's upserts, guarded: a row that already covers the event (release created no later,
    // release project first seen no later and last seen no earlier) is neither inserted nor updated,
    // so it is not locked. Every event of a release upserts the same rows; the unguarded upsert wrote
    // a new row version and held its lock until commit, serialising the issue grains' writes of one
    // release behind each other's WAL flush (the cluster bench's largest lock wait). Same results.
    private const string UpsertReleaseIfEarlier = """
        INSERT INTO releases (organization_id, version, date_created)
        SELECT p.organization_id, @version, @first_seen FROM projects p
        WHERE p.id = @project_id AND NOT EXISTS (
            SELECT 1 FROM releases r WHERE r.organization_id = p.organization_id AND r.version = @version AND r.date_created <= @first_seen)
        ON CONFLICT (organization_id, version) DO UPDATE SET
            date_created = CASE WHEN excluded.date_created < releases.date_created THEN excluded.date_created ELSE releases.date_created END
        """;

    private const string UpsertReleaseProjectIfWider = """
        INSERT INTO release_projects (organization_id, version, project_id, environment, first_seen, last_seen)
        SELECT p.organization_id, @version, @project_id, @environment, @first_seen, @last_seen FROM projects p
        WHERE p.id = @project_id AND NOT EXISTS (
            SELECT 1 FROM release_projects r WHERE r.organization_id = p.organization_id AND r.version = @version AND r.project_id = @project_id
                AND r.environment = @environment AND r.first_seen <= @first_seen AND r.last_seen >= @last_seen)
        ON CONFLICT (organization_id, version, project_id, environment) DO UPDATE SET
            first_seen = CASE WHEN excluded.first_seen < release_projects.first_seen THEN excluded.first_seen ELSE release_projects.first_seen END,
            last_seen = CASE WHEN excluded.last_seen > release_projects.last_seen THEN excluded.last_seen ELSE release_projects.last_seen END
        """;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresWorkflowStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
    }

    /// <inheritdoc />
    public async Task SaveAsync(WorkflowWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        var statements = new List<NpgsqlBatchCommand>();
        AddStatements(statements, write);
        if (statements.Count == 0)
        {
            return;
        }

        await using var batch = _database.DataSource.CreateBatch();
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the statements of <paramref name="write"/> (the issue store's batch commit sends them in its own transaction).</summary>
    internal static void AddStatements(List<NpgsqlBatchCommand> statements, WorkflowWrite write)
    {
        foreach (var release in WorkflowSql.InKeyOrder(write.Releases))
        {
            if (release.Environment.Length == 0)
            {
                var upsert = new NpgsqlBatchCommand(UpsertReleaseIfEarlier);
                upsert.Parameters.With("@version", release.Version).With("@project_id", release.ProjectId).With("@first_seen", StoreTime.ToMicroseconds(release.FirstSeen));
                statements.Add(upsert);
            }

            var project = new NpgsqlBatchCommand(UpsertReleaseProjectIfWider);
            project.Parameters.With("@version", release.Version).With("@project_id", release.ProjectId).With("@environment", release.Environment)
                .With("@first_seen", StoreTime.ToMicroseconds(release.FirstSeen)).With("@last_seen", StoreTime.ToMicroseconds(release.LastSeen));
            statements.Add(project);
        }

        foreach (var activity in write.Activities)
        {
            var insert = new NpgsqlBatchCommand(WorkflowSql.InsertActivity);
            insert.Parameters.With("@issue_id", activity.IssueId).With("@activity_key", activity.Key).With("@activity_type", activity.Type)
                .With("@data_json", activity.DataJson).With("@date_created", StoreTime.ToMicroseconds(activity.DateCreated));
            statements.Add(insert);
        }

        if (!write.WritesDue)
        {
            return;
        }

        var due = new NpgsqlBatchCommand(write.Due is null ? WorkflowSql.DeleteDue : WorkflowSql.UpsertDue);
        due.Parameters.With("@issue_id", write.IssueId);
        if (write.Due is { } at)
        {
            due.Parameters.With("@grain_key", write.GrainKey).With("@due", StoreTime.ToMicroseconds(at));
        }

        statements.Add(due);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProjectRelease>> GetProjectReleasesAsync(long projectId, CancellationToken cancellationToken = default) =>
        ReadAsync(WorkflowSql.SelectProjectReleases, p => p.With("@project_id", projectId), WorkflowSql.ProjectRelease, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReleaseRow>> ListReleasesAsync(long organizationId, CancellationToken cancellationToken = default) =>
        ReadAsync(WorkflowSql.SelectReleases, p => p.With("@organization_id", organizationId), WorkflowSql.Release, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<(long ProjectId, string Version, long Count)>> CountNewGroupsAsync(long organizationId, CancellationToken cancellationToken = default) =>
        ReadAsync(WorkflowSql.CountNewGroups, p => p.With("@organization_id", organizationId), r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2)), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<IssueActivity>> GetActivitiesAsync(long issueId, CancellationToken cancellationToken = default) =>
        ReadAsync(WorkflowSql.SelectActivities, p => p.With("@issue_id", issueId), WorkflowSql.Activity, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(WorkflowSql.SelectDue, p => p.With("@now", StoreTime.ToMicroseconds(now)).With("@limit", (long)limit), r => r.GetString(0), cancellationToken);

    /// <inheritdoc />
    public async Task DeleteIssueAsync(long issueId, CancellationToken cancellationToken = default)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _database.DataSource.CreateBatch();
        foreach (var sql in (ReadOnlySpan<string>)[WorkflowSql.DeleteActivities, WorkflowSql.DeleteDue])
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.With("@issue_id", issueId);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(sql);
        bind(command.Parameters);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}
