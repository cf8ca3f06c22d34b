namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The statements behind <see cref="IIssueStore.GetChangeMarkAsync"/>, the same on SQLite and PostgreSQL.
/// One project at a time, so both databases answer the maximum from the end of the
/// <c>(project_id, last_seen, id)</c> index instead of scanning the project's issues; the newest activity
/// is the end of the primary key.
/// </summary>
public static class IssueChangeSql
{
    public const string ProjectLastSeen = "SELECT COALESCE(MAX(last_seen), 0) FROM issues WHERE project_id = @project_id";

    public const string LastActivityId = "SELECT COALESCE(MAX(id), 0) FROM issue_activities";
}
