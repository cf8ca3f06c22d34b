using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary><see cref="IWorkflowStore"/> in the shared <see cref="SqliteDatabase"/> (monitoring schema version 6).</summary>
public sealed class SqliteWorkflowStore : IWorkflowStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteWorkflowStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task SaveAsync(WorkflowWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return _database.WriteAsync("workflow.save", write, static (connection, w) =>
        {
            Write(connection, w);
            return true;
        }, cancellationToken);
    }

    /// <summary>The statements of <paramref name="w"/> on the writer connection (the issue store's batch commit runs them in its own operation).</summary>
    internal static void Write(SqliteConnection connection, WorkflowWrite w)
    {
        foreach (var release in WorkflowSql.InKeyOrder(w.Releases))
        {
            if (release.Environment.Length == 0)
            {
                connection.Prepared(WorkflowSql.UpsertRelease)
                    .Set("@version", release.Version).Set("@project_id", release.ProjectId).Set("@first_seen", StoreTime.ToMicroseconds(release.FirstSeen))
                    .ExecuteNonQuery();
            }

            connection.Prepared(WorkflowSql.UpsertReleaseProject)
                .Set("@version", release.Version).Set("@project_id", release.ProjectId).Set("@environment", release.Environment)
                .Set("@first_seen", StoreTime.ToMicroseconds(release.FirstSeen)).Set("@last_seen", StoreTime.ToMicroseconds(release.LastSeen))
                .ExecuteNonQuery();
        }

        foreach (var activity in w.Activities)
        {
            connection.Prepared(WorkflowSql.InsertActivity)
                .Set("@issue_id", activity.IssueId).Set("@activity_key", activity.Key).Set("@activity_type", activity.Type)
                .Set("@data_json", activity.DataJson).Set("@date_created", StoreTime.ToMicroseconds(activity.DateCreated))
                .ExecuteNonQuery();
        }

        if (!w.WritesDue)
        {
            return;
        }

        if (w.Due is { } due)
        {
            connection.Prepared(WorkflowSql.UpsertDue).Set("@issue_id", w.IssueId).Set("@grain_key", w.GrainKey).Set("@due", StoreTime.ToMicroseconds(due)).ExecuteNonQuery();
        }
        else
        {
            connection.Prepared(WorkflowSql.DeleteDue).Set("@issue_id", w.IssueId).ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ProjectRelease>> GetProjectReleasesAsync(long projectId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ProjectRelease>>(_database.Read(projectId, static (connection, id) =>
        {
            var rows = new List<ProjectRelease>();
            using var reader = connection.Prepared(WorkflowSql.SelectProjectReleases).Set("@project_id", id).ExecuteReader();
            while (reader.Read())
            {
                rows.Add(WorkflowSql.ProjectRelease(reader));
            }

            return rows;
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReleaseRow>> ListReleasesAsync(long organizationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<ReleaseRow>>(_database.Read(organizationId, static (connection, id) =>
        {
            var rows = new List<ReleaseRow>();
            using var reader = connection.Prepared(WorkflowSql.SelectReleases).Set("@organization_id", id).ExecuteReader();
            while (reader.Read())
            {
                rows.Add(WorkflowSql.Release(reader));
            }

            return rows;
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(long ProjectId, string Version, long Count)>> CountNewGroupsAsync(long organizationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<(long, string, long)>>(_database.Read(organizationId, static (connection, id) =>
        {
            var rows = new List<(long, string, long)>();
            using var reader = connection.Prepared(WorkflowSql.CountNewGroups).Set("@organization_id", id).ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
            }

            return rows;
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IssueActivity>> GetActivitiesAsync(long issueId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<IssueActivity>>(_database.Read(issueId, static (connection, id) =>
        {
            var rows = new List<IssueActivity>();
            using var reader = connection.Prepared(WorkflowSql.SelectActivities).Set("@issue_id", id).ExecuteReader();
            while (reader.Read())
            {
                rows.Add(WorkflowSql.Activity(reader));
            }

            return rows;
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<string>>(_database.Read((Now: StoreTime.ToMicroseconds(now), Limit: limit), static (connection, s) =>
        {
            var rows = new List<string>();
            using var reader = connection.Prepared(WorkflowSql.SelectDue).Set("@now", s.Now).Set("@limit", s.Limit).ExecuteReader();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }

            return rows;
        }));
    }

    /// <inheritdoc />
    public Task DeleteIssueAsync(long issueId, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("workflow.delete", issueId, static (connection, id) =>
        {
            connection.Prepared(WorkflowSql.DeleteActivities).Set("@issue_id", id).ExecuteNonQuery();
            connection.Prepared(WorkflowSql.DeleteDue).Set("@issue_id", id).ExecuteNonQuery();
            return true;
        }, cancellationToken);
}
