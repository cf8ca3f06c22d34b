using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IIssueStore"/> (the query store) and <see cref="IIssueBatchStore"/> in a shared
/// <see cref="PostgresDatabase"/>: issue summaries, hash links, tag aggregates and hourly counts. The reads
/// are <see cref="RelationalIssueStore"/>'s; this class keeps the writes (arrays, group commit).
/// </summary>
/// <remarks>
/// A snapshot is one batch, so one round trip and one (implicit) transaction: the summary upsert, the
/// hash links, and — only when the snapshot's stream offset is above the issue's
/// <c>applied_offset</c> — the tag and hourly deltas. The claim is an <c>UPDATE … WHERE applied_offset
/// &lt; @offset</c> whose row lock makes a concurrent save of the same issue wait and then re-check the
/// offset, so a batch redelivered to a second activation never adds its deltas twice. The deltas are
/// written from arrays (<c>unnest</c>) only if the claim returned the issue. Hashes, tag values and
/// hours are summed per key and sorted first, so concurrent writers lock rows in one order. A batch
/// commit also writes the issue grain's state (<see cref="IssueBatchWrite.Checkpoint"/>) in the issue row
/// under an expected-version check; see <see cref="CommitGroupAsync"/> for a stale caller in a group.
/// </remarks>
public sealed partial class PostgresIssueStore : RelationalIssueStore, IIssueBatchStore
{
    private const string UpsertIssue = IssueBatchSql.UpsertIssue;

    // A batch's new events in one statement from arrays, sorted by event id (one project per batch) so
    // concurrent writers take the key's index entries in one order.
    private const string InsertEvents = $"""
        INSERT INTO events ({StoreRows.EventColumns})
        SELECT * FROM unnest(@project_ids, @event_ids, @issue_ids, @event_timestamps, @received, @stream_offsets,
            @titles, @messages, @platforms, @event_types, @payload_sizes, @payloads)
        ON CONFLICT (project_id, event_id) DO NOTHING
        """;

    private const string SelectEventOffsets = "SELECT event_id, stream_offset FROM events WHERE project_id = @project_id AND event_id = ANY(@event_ids)";

    private const string InsertHashes = """
        INSERT INTO issue_hashes (project_id, hash, issue_id, config_id)
        SELECT @project_id, h.hash, @id, h.config_id FROM unnest(@hashes, @config_ids) AS h(hash, config_id)
        ON CONFLICT (project_id, hash) DO NOTHING
        """;

    // Claims the snapshot's stream offset for the issue; the deltas join the claim, so they are added
    // only when it changed the row (a redelivered batch adds nothing twice). Data-modifying CTEs run
    // to completion whether or not the outer statement reads them.
    private const string ClaimAndAddDeltas = """
        WITH claim AS (
            UPDATE issues SET applied_offset = @offset WHERE id = @id AND applied_offset < @offset RETURNING id
        ), tags AS (
            INSERT INTO issue_tags (issue_id, tag_key, tag_value, times_seen, first_seen, last_seen)
            SELECT claim.id, t.tag_key, t.tag_value, t.times_seen, t.first_seen, t.last_seen
            FROM claim CROSS JOIN unnest(@tag_keys, @tag_values, @tag_counts, @tag_first_seen, @tag_last_seen)
                AS t(tag_key, tag_value, times_seen, first_seen, last_seen)
            ON CONFLICT (issue_id, tag_key, tag_value) DO UPDATE SET
                times_seen = issue_tags.times_seen + excluded.times_seen,
                first_seen = LEAST(issue_tags.first_seen, excluded.first_seen),
                last_seen = GREATEST(issue_tags.last_seen, excluded.last_seen)
        )
        INSERT INTO issue_hourly (issue_id, hour_start, event_count)
        SELECT claim.id, h.hour_start, h.event_count
        FROM claim CROSS JOIN unnest(@hour_starts, @hour_counts) AS h(hour_start, event_count)
        ON CONFLICT (issue_id, hour_start) DO UPDATE SET event_count = issue_hourly.event_count + excluded.event_count
        """;

    // The summary with the grain's state under its expected version; a stale caller's statement raises
    // (SQLSTATE GR409, grains_stale_issue_state), which aborts the group's transaction: see CommitGroupAsync.
    private const string InsertIssueState = $"""
        WITH written AS ({IssueBatchSql.InsertIssueState} RETURNING id)
        SELECT grains_stale_issue_state(@id, @expected_version) WHERE NOT EXISTS (SELECT 1 FROM written)
        """;

    private const string UpdateIssueState = $"""
        WITH written AS ({IssueBatchSql.UpdateIssueState} RETURNING id)
        SELECT grains_stale_issue_state(@id, @expected_version) WHERE NOT EXISTS (SELECT 1 FROM written)
        """;

    /// <summary>The SQLSTATE <c>grains_stale_issue_state</c> raises (monitoring schema, PostgreSQL position 11).</summary>
    private const string StaleStateCode = "GR409";

    // Issue commits per group: a batch write is 3 to 5 statements, so a full group is a few hundred
    // statements in one round trip. More queue for the next group (one group at a time per silo).
    private const int MaxCommitGroup = 100;

    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;
    private readonly PostgresGroupCommit<PendingCommit> _commits;
    private long _committedGroups;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the monitoring tables are created or migrated before its first operation.</summary>
    public PostgresIssueStore(PostgresDatabase database)
        : base(PostgresStoreCommands.Monitoring(database))
    {
        _database = database;
        _schema = PostgresSchemaGate.For(database);
        _commits = new PostgresGroupCommit<PendingCommit>(CommitGroupAsync, static _ => 1, static () => MaxCommitGroup);
    }

    /// <inheritdoc />
    /// <remarks>Runs through <see cref="PostgresDatabase.ExecuteAsync{TState, T}"/>: a <c>grains.postgres.issues.save</c> span under the caller's, and its metrics.</remarks>
    public override async Task SaveAsync(IssueSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        var statements = new List<NpgsqlBatchCommand>(3);
        AddSnapshotStatements(statements, snapshot);
        await _database.ExecuteAsync("issues.save", statements, static async (connection, statements, cancellationToken) =>
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var statement in statements)
            {
                batch.BatchCommands.Add(statement);
            }

            return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> GetEventOffsetsAsync(long projectId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return found;
        }

        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _database.DataSource.CreateCommand(SelectEventOffsets);
        command.Parameters.With("@project_id", projectId).WithArray("@event_ids", eventIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[reader.GetString(0)] = reader.GetInt64(1);
        }

        return found;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Group-committed (<see cref="PostgresGroupCommit{T}"/>): the write's statements (the events from
    /// arrays, the workflow part, the snapshot's upsert, hash links and claimed deltas) are built on the
    /// caller's thread and join the next group of this silo's concurrent issue commits, which goes out as
    /// one <see cref="NpgsqlBatch"/>: one round trip, one implicit transaction, one WAL flush. The call
    /// completes once its group committed; a failed group fails every call in it (each grain's batch is
    /// then redelivered, and its offset claim keeps the retry exact). Inside a group the writes are
    /// ordered by issue id, so groups lock issue rows in one order.
    /// </remarks>
    public async Task CommitAsync(IssueBatchWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var commit = new PendingCommit(write, Statements(write));
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await _commits.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        if (commit.Stale)
        {
            throw IssueCheckpointConflict.Stale(commit.IssueId, write.Checkpoint!.ExpectedVersion);
        }
    }

    /// <summary>Groups committed by this instance (for tests).</summary>
    internal long CommittedGroups => Interlocked.Read(ref _committedGroups);

    /// <summary>
    /// Sends one group of issue commits as one batch, in issue id order. A stale checkpoint raises inside
    /// the batch, so the whole transaction rolls back and none of the stale caller's rows stay; the caller
    /// is marked <see cref="PendingCommit.Stale"/> (its call then fails with the conflict) and the group is
    /// sent again without it. Each retry drops at least one caller, so a group ends after as many tries as
    /// it has stale callers; the others commit in that group and see no failure.
    /// </summary>
    private async Task CommitGroupAsync(IReadOnlyList<PendingCommit> group)
    {
        var ordered = group.Count == 1 ? group : group.OrderBy(c => c.IssueId).ToArray();
        var live = ordered.ToList();
        while (live.Count > 0)
        {
            try
            {
                await _database.ExecuteAsync("issues.commit", live, static async (connection, live, cancellationToken) =>
                {
                    await using var batch = new NpgsqlBatch(connection);
                    foreach (var commit in live)
                    {
                        foreach (var statement in commit.Statements)
                        {
                            batch.BatchCommands.Add(statement);
                        }
                    }

                    return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                Interlocked.Increment(ref _committedGroups);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == StaleStateCode && StaleCaller(live, exception) is { } stale)
            {
                stale.Stale = true;
                live.Remove(stale);
                foreach (var commit in live)
                {
                    // Fresh commands for the retry: those of the failed batch stay with it.
                    commit.Statements = Statements(commit.Write);
                }
            }
        }
    }

    /// <summary>
    /// The caller whose checkpoint statement raised <paramref name="exception"/>: by its statement, else by
    /// the issue id and expected version the error names (two callers alike are both stale once one is).
    /// </summary>
    private static PendingCommit? StaleCaller(List<PendingCommit> live, PostgresException exception)
    {
        if (exception.BatchCommand is { } failed && live.Find(c => c.Statements.Contains(failed)) is { } owner)
        {
            return owner;
        }

        if (StaleMessage().Match(exception.MessageText) is not { Success: true } match)
        {
            return null;
        }

        var issueId = long.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        var expected = long.Parse(match.Groups[2].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        return live.Find(c => c.IssueId == issueId && c.Write.Checkpoint?.ExpectedVersion == expected);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^stale checkpoint of issue (\d+) at version (\d+):", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex StaleMessage();

    /// <summary>One grain's batch write waiting for its group: its issue (the lock order), its statements, and whether its checkpoint was found stale.</summary>
    private sealed class PendingCommit(IssueBatchWrite write, List<NpgsqlBatchCommand> statements)
    {
        public IssueBatchWrite Write { get; } = write;

        public long IssueId => Write.Snapshot.Issue.Id;

        public List<NpgsqlBatchCommand> Statements { get; set; } = statements;

        public bool Stale { get; set; }
    }

    /// <summary>The statements of one batch write, built on the caller's thread (the payloads compressed there if the edge did not).</summary>
    private static List<NpgsqlBatchCommand> Statements(IssueBatchWrite write)
    {
        var statements = new List<NpgsqlBatchCommand>(4);
        if (write.Events.Count > 0)
        {
            var events = write.Events.OrderBy(e => e.EventId, StringComparer.Ordinal).ToArray();
            var payloads = new byte[events.Length][];
            var sizes = new long[events.Length];
            for (var i = 0; i < events.Length; i++)
            {
                (payloads[i], sizes[i]) = EventPayload.ForAppend(events[i]);
            }

            var insert = new NpgsqlBatchCommand(InsertEvents);
            insert.Parameters
                .WithArray("@project_ids", events.Select(e => e.ProjectId).ToArray())
                .WithArray("@event_ids", events.Select(e => e.EventId).ToArray())
                .WithArray("@issue_ids", events.Select(e => e.IssueId).ToArray())
                .WithArray("@event_timestamps", events.Select(e => StoreTime.ToMicroseconds(e.Timestamp)).ToArray())
                .WithArray("@received", events.Select(e => StoreTime.ToMicroseconds(e.Received)).ToArray())
                .WithArray("@stream_offsets", events.Select(e => e.StreamOffset).ToArray())
                .WithArray("@titles", events.Select(e => e.Title).ToArray())
                .WithArray("@messages", events.Select(e => e.Message).ToArray())
                .WithArray("@platforms", events.Select(e => e.Platform).ToArray())
                .WithArray("@event_types", events.Select(e => e.Type).ToArray())
                .WithArray("@payload_sizes", sizes)
                .WithArray("@payloads", payloads);
            statements.Add(insert);
        }

        if (write.Workflow is { } workflow)
        {
            PostgresWorkflowStore.AddStatements(statements, workflow);
        }

        AddSnapshotStatements(statements, write.Snapshot, write.Checkpoint);
        foreach (var firing in write.Firings?.Statements() ?? [])
        {
            var command = new NpgsqlBatchCommand(firing.Sql);
            command.Parameters.Bind(firing);
            statements.Add(command);
        }

        return statements;
    }

    /// <summary>The snapshot's statements: the summary upsert (with the checkpoint when there is one), new hash links, and the deltas joined to the offset claim.</summary>
    private static void AddSnapshotStatements(List<NpgsqlBatchCommand> statements, IssueSnapshot snapshot, IssueCheckpoint? checkpoint = null)
    {
        var issue = snapshot.Issue;

        var upsert = new NpgsqlBatchCommand(checkpoint is null ? UpsertIssue : checkpoint.ExpectedVersion == 0 ? InsertIssueState : UpdateIssueState);
        if (checkpoint is not null)
        {
            upsert.Parameters
                .With("@grain_state", checkpoint.State).With("@state_version", checkpoint.Version).With("@expected_version", checkpoint.ExpectedVersion);
        }

        upsert.Parameters
            .With("@id", issue.Id).With("@project_id", issue.ProjectId).With("@grain_key", issue.GrainKey).With("@short_number", issue.ShortNumber)
            .With("@title", issue.Title).With("@culprit", issue.Culprit).With("@level", issue.Level).With("@platform", issue.Platform)
            .WithText("@logger", issue.Logger).With("@issue_type", issue.Type).With("@metadata_json", issue.MetadataJson)
            .With("@status", issue.Status).WithText("@substatus", issue.Substatus).With("@status_details_json", issue.StatusDetailsJson)
            .With("@first_seen", StoreTime.ToMicroseconds(issue.FirstSeen)).With("@last_seen", StoreTime.ToMicroseconds(issue.LastSeen))
            .With("@times_seen", issue.TimesSeen).With("@user_count", issue.UserCount)
            .WithText("@first_release", issue.FirstRelease).WithText("@last_release", issue.LastRelease)
            .WithText("@error_type", issue.ErrorType).WithText("@error_value", issue.ErrorValue).With("@search_text", issue.SearchText);
        statements.Add(upsert);

        if (snapshot.Hashes.Count > 0)
        {
            // The first link of a hash wins, as with row-by-row inserts; sorted for a stable lock order.
            var hashes = snapshot.Hashes.DistinctBy(h => h.Hash, StringComparer.Ordinal).OrderBy(h => h.Hash, StringComparer.Ordinal).ToArray();
            var insertHashes = new NpgsqlBatchCommand(InsertHashes);
            insertHashes.Parameters
                .With("@project_id", issue.ProjectId).With("@id", issue.Id)
                .WithArray("@hashes", hashes.Select(h => h.Hash).ToArray())
                .WithArray("@config_ids", hashes.Select(h => h.ConfigId).ToArray());
            statements.Add(insertHashes);
        }

        if (snapshot.TagValues.Count > 0 || snapshot.HourlyCounts.Count > 0)
        {
            var tags = snapshot.TagValues
                .GroupBy(t => (t.Key, t.Value))
                .Select(g => (g.Key.Key, g.Key.Value, Count: g.Sum(t => t.Count), First: g.Min(t => StoreTime.ToMicroseconds(t.FirstSeen)), Last: g.Max(t => StoreTime.ToMicroseconds(t.LastSeen))))
                .OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Value, StringComparer.Ordinal)
                .ToArray();
            var hours = snapshot.HourlyCounts
                .GroupBy(h => h.HourStart)
                .Select(g => (Start: g.Key, Count: g.Sum(h => h.Count)))
                .OrderBy(h => h.Start)
                .ToArray();
            var deltas = new NpgsqlBatchCommand(ClaimAndAddDeltas);
            deltas.Parameters
                .With("@id", issue.Id).With("@offset", snapshot.StreamOffset)
                .WithArray("@tag_keys", tags.Select(t => t.Key).ToArray())
                .WithArray("@tag_values", tags.Select(t => t.Value).ToArray())
                .WithArray("@tag_counts", tags.Select(t => t.Count).ToArray())
                .WithArray("@tag_first_seen", tags.Select(t => t.First).ToArray())
                .WithArray("@tag_last_seen", tags.Select(t => t.Last).ToArray())
                .WithArray("@hour_starts", hours.Select(h => h.Start).ToArray())
                .WithArray("@hour_counts", hours.Select(h => h.Count).ToArray());
            statements.Add(deltas);
        }
    }
}
