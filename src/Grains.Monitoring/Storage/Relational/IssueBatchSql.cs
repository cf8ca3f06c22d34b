namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The statements of the event and issue stores' write path that are the same on SQLite and
/// PostgreSQL: the event row insert (the (project, event id) key decides, the first row wins), the
/// stored offset of an event id, the issue summary upsert (absolute values), and the summary written
/// with the issue grain's state under an expected-version check (the batch's checkpoint).
/// </summary>
public static class IssueBatchSql
{
    public const string InsertEvent = $"""
        INSERT INTO events ({StoreRows.EventColumns})
        VALUES (@project_id, @event_id, @issue_id, @event_timestamp, @received, @stream_offset, @title, @message, @platform, @event_type, @payload_size, @payload)
        ON CONFLICT (project_id, event_id) DO NOTHING
        """;

    public const string SelectEventOffset = "SELECT stream_offset FROM events WHERE project_id = @project_id AND event_id = @event_id";

    public const string UpsertIssue = """
        INSERT INTO issues (id, project_id, grain_key, short_number, title, culprit, level, platform, logger, issue_type,
            metadata_json, status, substatus, status_details_json, first_seen, last_seen, times_seen, user_count,
            first_release, last_release, error_type, error_value, search_text)
        VALUES (@id, @project_id, @grain_key, @short_number, @title, @culprit, @level, @platform, @logger, @issue_type,
            @metadata_json, @status, @substatus, @status_details_json, @first_seen, @last_seen, @times_seen, @user_count,
            @first_release, @last_release, @error_type, @error_value, @search_text)
        ON CONFLICT (id) DO UPDATE SET
            project_id = excluded.project_id, grain_key = excluded.grain_key, short_number = excluded.short_number,
            title = excluded.title, culprit = excluded.culprit, level = excluded.level, platform = excluded.platform,
            logger = excluded.logger, issue_type = excluded.issue_type, metadata_json = excluded.metadata_json,
            status = excluded.status, substatus = excluded.substatus, status_details_json = excluded.status_details_json,
            first_seen = excluded.first_seen, last_seen = excluded.last_seen, times_seen = excluded.times_seen,
            user_count = excluded.user_count, first_release = excluded.first_release, last_release = excluded.last_release,
            error_type = excluded.error_type, error_value = excluded.error_value, search_text = excluded.search_text
        """;

    // The summary columns as assignments from the upsert's parameters (the state-carrying statements below).
    private const string SummaryAssignments = """
        project_id = @project_id, grain_key = @grain_key, short_number = @short_number,
            title = @title, culprit = @culprit, level = @level, platform = @platform,
            logger = @logger, issue_type = @issue_type, metadata_json = @metadata_json,
            status = @status, substatus = @substatus, status_details_json = @status_details_json,
            first_seen = @first_seen, last_seen = @last_seen, times_seen = @times_seen,
            user_count = @user_count, first_release = @first_release, last_release = @last_release,
            error_type = @error_type, error_value = @error_value, search_text = @search_text,
            grain_state = @grain_state, state_version = @state_version
        """;

    /// <summary>
    /// The summary with the grain's state when no state was written yet (expected version 0): a new
    /// issue's row, or the row of an issue whose state is still in Orleans' storage (an upgrade). Changes
    /// no row when another activation wrote a state first: the caller is stale.
    /// </summary>
    public const string InsertIssueState = $"""
        INSERT INTO issues (id, project_id, grain_key, short_number, title, culprit, level, platform, logger, issue_type,
            metadata_json, status, substatus, status_details_json, first_seen, last_seen, times_seen, user_count,
            first_release, last_release, error_type, error_value, search_text, grain_state, state_version)
        VALUES (@id, @project_id, @grain_key, @short_number, @title, @culprit, @level, @platform, @logger, @issue_type,
            @metadata_json, @status, @substatus, @status_details_json, @first_seen, @last_seen, @times_seen, @user_count,
            @first_release, @last_release, @error_type, @error_value, @search_text, @grain_state, @state_version)
        ON CONFLICT (id) DO UPDATE SET {SummaryAssignments}
        WHERE issues.state_version = 0
        """;

    /// <summary>
    /// The summary with the grain's state over the version the grain read (<c>@expected_version</c> &gt; 0).
    /// Changes no row when the stored version moved on (a newer activation wrote) or the issue was deleted.
    /// </summary>
    public const string UpdateIssueState = $"""
        UPDATE issues SET {SummaryAssignments}
        WHERE id = @id AND state_version = @expected_version
        """;

    /// <summary>The grain's state and its version, when one was written in the issue row (version 0: none yet).</summary>
    public const string SelectIssueState = "SELECT grain_state, state_version FROM issues WHERE id = @id AND state_version > 0 AND grain_state IS NOT NULL";
}
