using System.Data.Common;
using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The statements of the workflow store (<c>Grains.Monitoring.Issues.Workflow.IWorkflowStore</c>), the
/// same on SQLite and PostgreSQL. Releases take the organization from the project in the same
/// statement; first/last seen are kept with min/max (portable <c>CASE</c>), so writing a batch again
/// changes nothing.
/// </summary>
public static class WorkflowSql
{
    public const string UpsertRelease = """
        INSERT INTO releases (organization_id, version, date_created)
        SELECT organization_id, @version, @first_seen FROM projects WHERE id = @project_id
        ON CONFLICT (organization_id, version) DO UPDATE SET
            date_created = CASE WHEN excluded.date_created < releases.date_created THEN excluded.date_created ELSE releases.date_created END
        """;

    public const string UpsertReleaseProject = """
        INSERT INTO release_projects (organization_id, version, project_id, environment, first_seen, last_seen)
        SELECT organization_id, @version, @project_id, @environment, @first_seen, @last_seen FROM projects WHERE id = @project_id
        ON CONFLICT (organization_id, version, project_id, environment) DO UPDATE SET
            first_seen = CASE WHEN excluded.first_seen < release_projects.first_seen THEN excluded.first_seen ELSE release_projects.first_seen END,
            last_seen = CASE WHEN excluded.last_seen > release_projects.last_seen THEN excluded.last_seen ELSE release_projects.last_seen END
        """;

    // The upserts above, guarded (SqlDialect.GuardsRepeatedUpserts): a row that already covers the event
    // (release created no later, release project first seen no later and last seen no earlier) is neither
    // inserted nor updated, so it is not locked. Every event of a release upserts the same rows; unguarded,
    // PostgreSQL wrote a new row version and held its lock until commit, serialising the issue grains'
    // writes of one release behind each other's WAL flush (the cluster bench's largest lock wait). Same results.
    public const string UpsertReleaseIfEarlier = """
        INSERT INTO releases (organization_id, version, date_created)
        SELECT p.organization_id, @version, @first_seen FROM projects p
        WHERE p.id = @project_id AND NOT EXISTS (
            SELECT 1 FROM releases r WHERE r.organization_id = p.organization_id AND r.version = @version AND r.date_created <= @first_seen)
        ON CONFLICT (organization_id, version) DO UPDATE SET
            date_created = CASE WHEN excluded.date_created < releases.date_created THEN excluded.date_created ELSE releases.date_created END
        """;

    public const string UpsertReleaseProjectIfWider = """
        INSERT INTO release_projects (organization_id, version, project_id, environment, first_seen, last_seen)
        SELECT p.organization_id, @version, @project_id, @environment, @first_seen, @last_seen FROM projects p
        WHERE p.id = @project_id AND NOT EXISTS (
            SELECT 1 FROM release_projects r WHERE r.organization_id = p.organization_id AND r.version = @version AND r.project_id = @project_id
                AND r.environment = @environment AND r.first_seen <= @first_seen AND r.last_seen >= @last_seen)
        ON CONFLICT (organization_id, version, project_id, environment) DO UPDATE SET
            first_seen = CASE WHEN excluded.first_seen < release_projects.first_seen THEN excluded.first_seen ELSE release_projects.first_seen END,
            last_seen = CASE WHEN excluded.last_seen > release_projects.last_seen THEN excluded.last_seen ELSE release_projects.last_seen END
        """;

    public const string InsertActivity = """
        INSERT INTO issue_activities (issue_id, activity_key, activity_type, data_json, date_created)
        VALUES (@issue_id, @activity_key, @activity_type, @data_json, @date_created)
        ON CONFLICT (activity_key) DO NOTHING
        """;

    public const string UpsertDue = """
        INSERT INTO issue_workflow_due (issue_id, grain_key, due) VALUES (@issue_id, @grain_key, @due)
        ON CONFLICT (issue_id) DO UPDATE SET grain_key = excluded.grain_key, due = excluded.due
        """;

    public const string DeleteDue = "DELETE FROM issue_workflow_due WHERE issue_id = @issue_id";

    public const string DeleteActivities = "DELETE FROM issue_activities WHERE issue_id = @issue_id";

    public const string SelectProjectReleases = "SELECT version, first_seen, last_seen FROM release_projects WHERE project_id = @project_id AND environment = ''";

    public const string SelectReleases = """
        SELECT r.id, r.version, r.date_created, p.project_id, p.environment, p.first_seen, p.last_seen
        FROM releases r JOIN release_projects p ON p.organization_id = r.organization_id AND p.version = r.version
        WHERE r.organization_id = @organization_id
        """;

    public const string CountNewGroups = """
        SELECT i.project_id, i.first_release, COUNT(*) FROM issues i JOIN projects p ON p.id = i.project_id
        WHERE p.organization_id = @organization_id AND i.first_release IS NOT NULL
        GROUP BY i.project_id, i.first_release
        """;

    public const string SelectActivities = """
        SELECT id, activity_key, issue_id, activity_type, data_json, date_created FROM issue_activities
        WHERE issue_id = @issue_id ORDER BY date_created DESC, id DESC
        """;

    public const string SelectDue = "SELECT grain_key FROM issue_workflow_due WHERE due <= @now ORDER BY due LIMIT @limit";

    /// <summary>The SQLite migration (monitoring version 6); PostgreSQL runs it with its identity spelling.</summary>
    public const string Migration = """
        -- Releases seen by events (Grains.Monitoring.Releases): one row per organization and version,
        -- and per version, project and environment ('' = all environments together). Times in microseconds.
        CREATE TABLE releases (
            id              INTEGER PRIMARY KEY,
            organization_id BIGINT NOT NULL,
            version         TEXT   NOT NULL,
            date_created    BIGINT NOT NULL,
            UNIQUE (organization_id, version)
        );

        CREATE TABLE release_projects (
            organization_id BIGINT NOT NULL,
            version         TEXT   NOT NULL,
            project_id      BIGINT NOT NULL,
            environment     TEXT   NOT NULL,
            first_seen      BIGINT NOT NULL,
            last_seen       BIGINT NOT NULL,
            PRIMARY KEY (organization_id, version, project_id, environment)
        );
        CREATE INDEX ix_release_projects_project ON release_projects (project_id, environment);

        -- Issue activities; activity_key is the idempotency key (issue, stream offset, type for an event's change).
        CREATE TABLE issue_activities (
            id            INTEGER PRIMARY KEY,
            issue_id      BIGINT NOT NULL,
            activity_key  TEXT   NOT NULL UNIQUE,
            activity_type TEXT   NOT NULL,
            data_json     TEXT   NOT NULL,
            date_created  BIGINT NOT NULL
        );
        CREATE INDEX ix_issue_activities_issue ON issue_activities (issue_id, date_created);

        -- The next timed transition of an issue (ongoing after a week, end of a timed archive); the scheduler scans by due.
        CREATE TABLE issue_workflow_due (
            issue_id  BIGINT NOT NULL PRIMARY KEY,
            grain_key TEXT   NOT NULL,
            due       BIGINT NOT NULL
        );
        CREATE INDEX ix_issue_workflow_due ON issue_workflow_due (due);
        """;

    /// <summary>The same tables in PostgreSQL.</summary>
    public static string PostgresMigration => Migration
        .Replace("INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", StringComparison.Ordinal)
        .Replace("TEXT   NOT NULL", "TEXT COLLATE \"C\" NOT NULL", StringComparison.Ordinal);

    /// <summary>
    /// The statements of <paramref name="write"/>, in order: releases (in key order), activities, and the due
    /// time when the write carries it. The workflow store runs them as one transaction; the issue store's
    /// batch commit runs them inside its own.
    /// </summary>
    public static List<SqlStatement> Statements(WorkflowWrite write, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(dialect);
        var statements = new List<SqlStatement>(write.Releases.Count * 2 + write.Activities.Count + 1);
        foreach (var release in InKeyOrder(write.Releases))
        {
            var firstSeen = StoreTime.ToMicroseconds(release.FirstSeen);
            if (release.Environment.Length == 0)
            {
                statements.Add(new(dialect.GuardsRepeatedUpserts ? UpsertReleaseIfEarlier : UpsertRelease,
                    [("@version", release.Version), ("@project_id", release.ProjectId), ("@first_seen", firstSeen)]));
            }

            statements.Add(new(dialect.GuardsRepeatedUpserts ? UpsertReleaseProjectIfWider : UpsertReleaseProject,
                [("@version", release.Version), ("@project_id", release.ProjectId), ("@environment", release.Environment),
                    ("@first_seen", firstSeen), ("@last_seen", StoreTime.ToMicroseconds(release.LastSeen))]));
        }

        foreach (var activity in write.Activities)
        {
            statements.Add(new(InsertActivity,
                [("@issue_id", activity.IssueId), ("@activity_key", activity.Key), ("@activity_type", activity.Type),
                    ("@data_json", activity.DataJson), ("@date_created", StoreTime.ToMicroseconds(activity.DateCreated))]));
        }

        if (write.WritesDue)
        {
            statements.Add(write.Due is { } due
                ? new(UpsertDue, [("@issue_id", write.IssueId), ("@grain_key", write.GrainKey), ("@due", StoreTime.ToMicroseconds(due))])
                : new(DeleteDue, [("@issue_id", write.IssueId)]));
        }

        return statements;
    }

    /// <summary>Releases in key order (concurrent writers lock rows in one order).</summary>
    public static IEnumerable<ReleaseSeen> InKeyOrder(IEnumerable<ReleaseSeen> releases) =>
        releases.OrderBy(r => r.Version, StringComparer.Ordinal).ThenBy(r => r.ProjectId).ThenBy(r => r.Environment, StringComparer.Ordinal);

    public static IssueActivity Activity(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new IssueActivity(reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), StoreTime.FromMicroseconds(reader.GetInt64(5)))
        {
            Id = reader.GetInt64(0),
        };
    }

    public static ReleaseRow Release(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new ReleaseRow(reader.GetInt64(0), reader.GetString(1), StoreTime.FromMicroseconds(reader.GetInt64(2)), reader.GetInt64(3), reader.GetString(4),
            StoreTime.FromMicroseconds(reader.GetInt64(5)), StoreTime.FromMicroseconds(reader.GetInt64(6)));
    }

    public static ProjectRelease ProjectRelease(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new ProjectRelease(reader.GetString(0), StoreTime.FromMicroseconds(reader.GetInt64(1)), StoreTime.FromMicroseconds(reader.GetInt64(2)));
    }
}
