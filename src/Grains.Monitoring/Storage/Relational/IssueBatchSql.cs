namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The statements of the event and issue stores' write path that are the same on SQLite and
/// PostgreSQL: the event row insert (the (project, event id) key decides, the first row wins), the
/// stored offset of an event id, and the issue summary upsert (absolute values).
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
}
