using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IIssueStore"/> (the query store) and <see cref="IIssueBatchStore"/> in the shared
/// <see cref="SqliteDatabase"/>: issue summaries, hash links, tag aggregates and hourly counts, written
/// with absolute values so a snapshot can be saved any number of times. The reads are
/// <see cref="RelationalIssueStore"/>'s; this class keeps the writes on the single writer.
/// </summary>
public sealed class SqliteIssueStore : RelationalIssueStore, IIssueBatchStore
{
    private const string UpsertIssue = IssueBatchSql.UpsertIssue;

    private const string InsertHash = """
        INSERT INTO issue_hashes (project_id, hash, issue_id, config_id) VALUES (@project_id, @hash, @issue_id, @config_id)
        ON CONFLICT (project_id, hash) DO NOTHING
        """;

    // Claims the snapshot's stream offset for the issue: one row changes only when the offset is new,
    // and only then are the snapshot's deltas added (a redelivered batch adds nothing twice).
    private const string ClaimOffset = "UPDATE issues SET applied_offset = @offset WHERE id = @id AND applied_offset < @offset";

    private const string AddTag = """
        INSERT INTO issue_tags (issue_id, tag_key, tag_value, times_seen, first_seen, last_seen)
        VALUES (@issue_id, @tag_key, @tag_value, @times_seen, @first_seen, @last_seen)
        ON CONFLICT (issue_id, tag_key, tag_value) DO UPDATE SET
            times_seen = issue_tags.times_seen + excluded.times_seen,
            first_seen = MIN(issue_tags.first_seen, excluded.first_seen),
            last_seen = MAX(issue_tags.last_seen, excluded.last_seen)
        """;

    private const string AddHour = """
        INSERT INTO issue_hourly (issue_id, hour_start, event_count) VALUES (@issue_id, @hour_start, @event_count)
        ON CONFLICT (issue_id, hour_start) DO UPDATE SET event_count = issue_hourly.event_count + excluded.event_count
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteIssueStore(SqliteDatabase database)
        : base(new SqliteStoreCommands(database))
    {
        _database = database;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public override Task SaveAsync(IssueSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return _database.WriteAsync("issues.save", snapshot, static (connection, s) =>
        {
            WriteSnapshot(connection, s);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, long>> GetEventOffsetsAsync(long projectId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (eventIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>());
        }

        // A batch holds a few ids: one prepared primary-key lookup each, on one pooled read connection.
        return Task.FromResult<IReadOnlyDictionary<string, long>>(_database.Read((projectId, eventIds), static (connection, s) =>
        {
            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            var select = connection.Prepared(IssueBatchSql.SelectEventOffset).Set("@project_id", s.projectId);
            foreach (var id in s.eventIds)
            {
                if (select.Set("@event_id", id).ExecuteScalar() is long offset)
                {
                    found[id] = offset;
                }
            }

            return found;
        }));
    }

    /// <inheritdoc />
    /// <remarks>
    /// One queued operation of the shared writer (one savepoint inside its group commit): the event
    /// rows, the workflow part, the snapshot with its offset claim and checkpoint, then the alert firings. The events are compressed
    /// (if the edge did not) on the caller's thread, so the writer thread only runs SQL.
    /// </remarks>
    public Task CommitAsync(IssueBatchWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var payloads = new (byte[] Payload, long Size)[write.Events.Count];
        for (var i = 0; i < payloads.Length; i++)
        {
            payloads[i] = EventPayload.ForAppend(write.Events[i]);
        }

        return _database.WriteAsync("issues.commit", (write, payloads), static (connection, s) =>
        {
            for (var i = 0; i < s.payloads.Length; i++)
            {
                SqliteEventStore.Insert(connection, s.write.Events[i], s.payloads[i].Payload, s.payloads[i].Size);
            }

            if (s.write.Workflow is { } workflow)
            {
                SqliteWorkflowStore.Write(connection, workflow);
            }

            WriteSnapshot(connection, s.write.Snapshot, s.write.Checkpoint);
            foreach (var firing in s.write.Firings?.Statements() ?? [])
            {
                connection.Prepared(firing).ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The snapshot's statements on the writer connection: summary (with the checkpoint under its expected
    /// version, when there is one), hash links, and the deltas if its offset claim succeeds. A stale
    /// checkpoint throws, which rolls this operation's savepoint back: none of the batch's rows stay.
    /// </summary>
    private static void WriteSnapshot(SqliteConnection connection, IssueSnapshot s, IssueCheckpoint? checkpoint = null)
    {
        var issue = s.Issue;
        var summary = checkpoint is null
            ? connection.Prepared(UpsertIssue)
            : checkpoint.ExpectedVersion == 0
                ? connection.Prepared(IssueBatchSql.InsertIssueState)
                : connection.Prepared(IssueBatchSql.UpdateIssueState).Set("@expected_version", checkpoint.ExpectedVersion);
        if (checkpoint is not null)
        {
            summary.Set("@grain_state", checkpoint.State).Set("@state_version", checkpoint.Version);
        }

        var written = summary
            .Set("@id", issue.Id).Set("@project_id", issue.ProjectId).Set("@grain_key", issue.GrainKey).Set("@short_number", issue.ShortNumber)
            .Set("@title", issue.Title).Set("@culprit", issue.Culprit).Set("@level", issue.Level).Set("@platform", issue.Platform)
            .Set("@logger", issue.Logger).Set("@issue_type", issue.Type).Set("@metadata_json", issue.MetadataJson)
            .Set("@status", issue.Status).Set("@substatus", issue.Substatus).Set("@status_details_json", issue.StatusDetailsJson)
            .Set("@first_seen", StoreTime.ToMicroseconds(issue.FirstSeen)).Set("@last_seen", StoreTime.ToMicroseconds(issue.LastSeen))
            .Set("@times_seen", issue.TimesSeen).Set("@user_count", issue.UserCount)
            .Set("@first_release", issue.FirstRelease).Set("@last_release", issue.LastRelease)
            .Set("@error_type", issue.ErrorType).Set("@error_value", issue.ErrorValue).Set("@search_text", issue.SearchText)
            .ExecuteNonQuery();
        if (checkpoint is not null && written == 0)
        {
            throw IssueCheckpointConflict.Stale(issue.Id, checkpoint.ExpectedVersion);
        }

        if (s.Hashes.Count > 0)
        {
            var insertHash = connection.Prepared(InsertHash).Set("@project_id", issue.ProjectId).Set("@issue_id", issue.Id);
            foreach (var (hash, configId) in s.Hashes)
            {
                insertHash.Set("@hash", hash).Set("@config_id", configId).ExecuteNonQuery();
            }
        }

        var deltas = s.TagValues.Count > 0 || s.HourlyCounts.Count > 0;
        if (!deltas || connection.Prepared(ClaimOffset).Set("@id", issue.Id).Set("@offset", s.StreamOffset).ExecuteNonQuery() == 0)
        {
            return;
        }

        if (s.TagValues.Count > 0)
        {
            var addTag = connection.Prepared(AddTag).Set("@issue_id", issue.Id);
            foreach (var tag in s.TagValues)
            {
                addTag.Set("@tag_key", tag.Key).Set("@tag_value", tag.Value).Set("@times_seen", tag.Count)
                    .Set("@first_seen", StoreTime.ToMicroseconds(tag.FirstSeen)).Set("@last_seen", StoreTime.ToMicroseconds(tag.LastSeen))
                    .ExecuteNonQuery();
            }
        }

        if (s.HourlyCounts.Count > 0)
        {
            var addHour = connection.Prepared(AddHour).Set("@issue_id", issue.Id);
            foreach (var bucket in s.HourlyCounts)
            {
                addHour.Set("@hour_start", bucket.HourStart).Set("@event_count", bucket.Count).ExecuteNonQuery();
            }
        }
    }
}
