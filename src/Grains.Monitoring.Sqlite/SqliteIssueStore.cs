using System.Globalization;
using Grains.Monitoring.Search;
using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="IIssueStore"/> (the query store) in the shared <see cref="SqliteDatabase"/>: issue
/// summaries, hash links, tag aggregates and hourly counts, written with absolute values so a
/// snapshot can be saved any number of times.
/// </summary>
public sealed class SqliteIssueStore : IIssueStore, IIssueBatchStore
{
    // SQLite allows 32,766 parameters; chunks keep the statement small and the plan cheap.
    private const int StatsChunk = 500;

    private const string IssueColumns = IssuePagePlan.IssueColumns;

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

    private const string SelectIssue = $"SELECT {IssueColumns} FROM issues i WHERE i.id = @id";

    private const string SelectByHash = "SELECT issue_id FROM issue_hashes WHERE project_id = @project_id AND hash = @hash";

    private const string SelectGrainKey = "SELECT grain_key FROM issues WHERE id = @id";

    private const string SelectTagKeys = "SELECT tag_key, SUM(times_seen), COUNT(*) FROM issue_tags WHERE issue_id = @issue_id GROUP BY tag_key ORDER BY tag_key";

    private const string SelectTopValues = """
        SELECT tag_key, tag_value, times_seen, first_seen, last_seen FROM (
            SELECT tag_key, tag_value, times_seen, first_seen, last_seen,
                   ROW_NUMBER() OVER (PARTITION BY tag_key ORDER BY times_seen DESC, tag_value) AS rank_in_key
            FROM issue_tags WHERE issue_id = @issue_id) ranked
        WHERE rank_in_key <= @top
        ORDER BY tag_key, times_seen DESC, tag_value
        """;

    private const string SelectValuesFirstPage = """
        SELECT tag_key, tag_value, times_seen, first_seen, last_seen FROM issue_tags
        WHERE issue_id = @issue_id AND tag_key = @tag_key
        ORDER BY times_seen DESC, tag_value LIMIT @limit
        """;

    private const string SelectValuesNextPage = """
        SELECT tag_key, tag_value, times_seen, first_seen, last_seen FROM issue_tags
        WHERE issue_id = @issue_id AND tag_key = @tag_key AND (times_seen < @times_seen OR (times_seen = @times_seen AND tag_value > @tag_value))
        ORDER BY times_seen DESC, tag_value LIMIT @limit
        """;

    private const string SelectHashes = "SELECT hash, config_id FROM issue_hashes WHERE issue_id = @issue_id ORDER BY hash";

    private const string DeleteIssue = "DELETE FROM issues WHERE id = @id";
    private const string DeleteHashes = "DELETE FROM issue_hashes WHERE issue_id = @id";
    private const string DeleteTags = "DELETE FROM issue_tags WHERE issue_id = @id";
    private const string DeleteHours = "DELETE FROM issue_hourly WHERE issue_id = @id";

    private const string ValuesCursorTag = "v";

    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteIssueStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task SaveAsync(IssueSnapshot snapshot, CancellationToken cancellationToken = default)
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
    /// rows, the workflow part, then the snapshot with its offset claim. The events are compressed
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

            WriteSnapshot(connection, s.write.Snapshot);
            return true;
        }, cancellationToken);
    }

    /// <summary>The snapshot's statements on the writer connection: summary, hash links, and the deltas if its offset claim succeeds.</summary>
    private static void WriteSnapshot(SqliteConnection connection, IssueSnapshot s)
    {
        var issue = s.Issue;
        connection.Prepared(UpsertIssue)
            .Set("@id", issue.Id).Set("@project_id", issue.ProjectId).Set("@grain_key", issue.GrainKey).Set("@short_number", issue.ShortNumber)
            .Set("@title", issue.Title).Set("@culprit", issue.Culprit).Set("@level", issue.Level).Set("@platform", issue.Platform)
            .Set("@logger", issue.Logger).Set("@issue_type", issue.Type).Set("@metadata_json", issue.MetadataJson)
            .Set("@status", issue.Status).Set("@substatus", issue.Substatus).Set("@status_details_json", issue.StatusDetailsJson)
            .Set("@first_seen", StoreTime.ToMicroseconds(issue.FirstSeen)).Set("@last_seen", StoreTime.ToMicroseconds(issue.LastSeen))
            .Set("@times_seen", issue.TimesSeen).Set("@user_count", issue.UserCount)
            .Set("@first_release", issue.FirstRelease).Set("@last_release", issue.LastRelease)
            .Set("@error_type", issue.ErrorType).Set("@error_value", issue.ErrorValue).Set("@search_text", issue.SearchText)
            .ExecuteNonQuery();

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

    /// <inheritdoc />
    public Task<IssueRecord?> GetAsync(long issueId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(issueId, static (connection, id) =>
        {
            using var reader = connection.Prepared(SelectIssue).Set("@id", id).ExecuteReader();
            return reader.Read() ? StoreRows.Issue(reader) : null;
        }));
    }

    /// <inheritdoc />
    public Task<long?> FindByHashAsync(long projectId, string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((projectId, hash), static (connection, s) =>
            connection.Prepared(SelectByHash).Set("@project_id", s.projectId).Set("@hash", s.hash).ExecuteScalar() as long?));
    }

    /// <inheritdoc />
    public Task<string?> GetGrainKeyAsync(long issueId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(issueId, static (connection, id) =>
            connection.Prepared(SelectGrainKey).Set("@id", id).ExecuteScalar() as string));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The sort is not <c>date</c>, <c>new</c>, <c>freq</c> or <c>user</c>, the project list is empty, or the cursor is not one this store issued for that sort.</exception>
    public Task<IssuePage> QueryAsync(IssueQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (query.ProjectIds.Count == 0)
        {
            throw new ArgumentException("An issue query needs at least one project.", nameof(query));
        }

        var plan = IssuePagePlan.Create(query, IssueSqlFilter.Build(query, SqlDialect.Sqlite));
        return Task.FromResult(_database.Read(plan, static (connection, p) => p.Execute(
            statement =>
            {
                using var command = connection.Command(statement);
                using var reader = command.ExecuteReader();
                var rows = new List<IssueRecord>();
                while (reader.Read())
                {
                    rows.Add(StoreRows.Issue(reader));
                }

                return rows;
            },
            statement =>
            {
                using var command = connection.Command(statement);
                return command.ExecuteScalar() is not null;
            })));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="period"/> is not <c>{n}h</c> (1–168) or <c>{n}d</c> (1–90).</exception>
    public Task<IReadOnlyDictionary<long, IReadOnlyList<(long Start, long Count)>>> GetStatsAsync(IReadOnlyList<long> issueIds, string period, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issueIds);
        ArgumentNullException.ThrowIfNull(period);
        cancellationToken.ThrowIfCancellationRequested();
        var window = IssueStatsWindow.Create(issueIds, period, now);
        foreach (var chunk in window.IssueIds.Chunk(StatsChunk))
        {
            _database.Read((chunk, window), static (connection, s) =>
            {
                using var command = connection.CreateCommand();
                var names = new string[s.chunk.Length];
                for (var i = 0; i < s.chunk.Length; i++)
                {
                    names[i] = string.Create(CultureInfo.InvariantCulture, $"@i{i}");
                    command.Parameters.AddWithValue(names[i], s.chunk[i]);
                }

                command.CommandText = $"""
                    SELECT issue_id, hour_start, event_count FROM issue_hourly
                    WHERE issue_id IN ({string.Join(", ", names)}) AND hour_start >= @from AND hour_start < @to
                    """;
                command.Parameters.AddWithValue("@from", s.window.From);
                command.Parameters.AddWithValue("@to", s.window.To);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    s.window.Add(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                }

                return true;
            });
        }

        return Task.FromResult(window.Result());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IssueTagKey>> GetTagsAsync(long issueId, int topValues, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topValues);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((issueId, topValues), static (connection, s) =>
        {
            var totals = new List<(string Key, long Total, long Unique)>();
            using (var reader = connection.Prepared(SelectTagKeys).Set("@issue_id", s.issueId).ExecuteReader())
            {
                while (reader.Read())
                {
                    totals.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
                }
            }

            var top = new Dictionary<string, List<IssueTagValue>>(StringComparer.Ordinal);
            using (var reader = connection.Prepared(SelectTopValues).Set("@issue_id", s.issueId).Set("@top", s.topValues).ExecuteReader())
            {
                while (reader.Read())
                {
                    var value = StoreRows.TagValue(reader);
                    if (!top.TryGetValue(value.Key, out var values))
                    {
                        top[value.Key] = values = [];
                    }

                    values.Add(value);
                }
            }

            var keys = new List<IssueTagKey>(totals.Count);
            foreach (var (key, total, unique) in totals)
            {
                keys.Add(new IssueTagKey(key, total, unique, top.TryGetValue(key, out var values) ? values : []));
            }

            return (IReadOnlyList<IssueTagKey>)keys;
        }));
    }

    /// <inheritdoc />
    public Task<(IReadOnlyList<IssueTagValue> Values, string? NextCursor)> GetTagValuesAsync(long issueId, string key, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var after = string.IsNullOrEmpty(cursor) ? (StoreCursor?)null : StoreCursor.Decode(cursor, ValuesCursorTag);
        return Task.FromResult(_database.Read((issueId, key, limit, after), static (connection, s) =>
        {
            var command = s.after is { } position
                ? connection.Prepared(SelectValuesNextPage).Set("@times_seen", position.Number).Set("@tag_value", position.Text)
                : connection.Prepared(SelectValuesFirstPage);
            command.Set("@issue_id", s.issueId).Set("@tag_key", s.key).Set("@limit", s.limit + 1);
            var values = new List<IssueTagValue>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    values.Add(StoreRows.TagValue(reader));
                }
            }

            string? next = null;
            if (values.Count > s.limit)
            {
                values.RemoveAt(s.limit);
                next = new StoreCursor(ValuesCursorTag, values[^1].Count, values[^1].Value).Encode();
            }

            return ((IReadOnlyList<IssueTagValue>)values, next);
        }));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(string Hash, string ConfigId)>> GetHashesAsync(long issueId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(issueId, static (connection, id) =>
        {
            var hashes = new List<(string Hash, string ConfigId)>();
            using var reader = connection.Prepared(SelectHashes).Set("@issue_id", id).ExecuteReader();
            while (reader.Read())
            {
                hashes.Add((reader.GetString(0), reader.GetString(1)));
            }

            return (IReadOnlyList<(string Hash, string ConfigId)>)hashes;
        }));
    }

    /// <inheritdoc />
    public Task<IssueChangeMark> GetChangeMarkAsync(IReadOnlyList<long> projectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(projectIds, static (connection, ids) =>
        {
            long lastSeen = 0;
            var select = connection.Prepared(IssueChangeSql.ProjectLastSeen);
            foreach (var id in ids)
            {
                lastSeen = Math.Max(lastSeen, Convert.ToInt64(select.Set("@project_id", id).ExecuteScalar(), CultureInfo.InvariantCulture));
            }

            var activity = Convert.ToInt64(connection.Prepared(IssueChangeSql.LastActivityId).ExecuteScalar(), CultureInfo.InvariantCulture);
            return new IssueChangeMark(lastSeen, activity);
        }));
    }

    /// <inheritdoc />
    public Task DeleteAsync(long issueId, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("issues.delete", issueId, static (connection, id) =>
        {
            foreach (var sql in (ReadOnlySpan<string>)[DeleteHashes, DeleteTags, DeleteHours, DeleteIssue])
            {
                connection.Prepared(sql).Set("@id", id).ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
}
