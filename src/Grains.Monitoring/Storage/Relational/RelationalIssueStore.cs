namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The query side of <see cref="IIssueStore"/> — an issue by id or hash, lists (search, sort, paging), stats,
/// tag keys and values, the change mark, and deleting an issue's rows — over a backend's <see cref="StoreCommands"/>.
/// A backend adds only the snapshot write (<see cref="SaveAsync"/>), which is on the ingest hot path.
/// </summary>
public abstract class RelationalIssueStore : IIssueStore
{
    // Ids per stats statement: SQLite allows 32,766 parameters; chunks keep the statement small and the plan cheap.
    private const int StatsChunk = 500;

    private const string ValuesCursorTag = "v";

    private readonly StoreCommands _commands;

    protected RelationalIssueStore(StoreCommands commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
    }

    /// <inheritdoc />
    public abstract Task SaveAsync(IssueSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>
    /// The issue grain's state from the issue row (<see cref="IIssueBatchStore.GetCheckpointAsync"/>, which both
    /// backends implement with this), or null while none was written there.
    /// </summary>
    public Task<IssueCheckpoint?> GetCheckpointAsync(long issueId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(
            new(IssueBatchSql.SelectIssueState, [("@id", issueId)]),
            static reader => new IssueCheckpoint(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1)),
            cancellationToken);

    /// <inheritdoc />
    public Task<IssueRecord?> GetAsync(long issueId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(new(IssueSql.SelectIssue, [("@id", issueId)]), StoreRows.Issue, cancellationToken);

    /// <inheritdoc />
    public async Task<long?> FindByHashAsync(long projectId, string hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return await _commands.ScalarAsync(new(IssueSql.SelectByHash, [("@project_id", projectId), ("@hash", hash)]), cancellationToken).ConfigureAwait(false) as long?;
    }

    /// <inheritdoc />
    public async Task<string?> GetGrainKeyAsync(long issueId, CancellationToken cancellationToken = default) =>
        await _commands.ScalarAsync(new(IssueSql.SelectGrainKey, [("@id", issueId)]), cancellationToken).ConfigureAwait(false) as string;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The sort is not <c>date</c>, <c>new</c>, <c>freq</c> or <c>user</c>, the project list is empty, or the cursor is not one this store issued for that sort.</exception>
    public Task<IssuePage> QueryAsync(IssueQuery query, CancellationToken cancellationToken = default)
    {
        // The query is checked at the call, not in the task.
        ArgumentNullException.ThrowIfNull(query);
        if (query.ProjectIds.Count == 0)
        {
            throw new ArgumentException("An issue query needs at least one project.", nameof(query));
        }

        // The statements' text follows the query's filters and cursor: not cached per text.
        var plan = IssuePagePlan.Create(query, IssueSqlFilter.Build(query, _commands.Dialect));
        return plan.ExecuteAsync(
            statement => _commands.QueryAsync(statement with { Varies = true }, StoreRows.Issue, cancellationToken),
            async statement => await _commands.ScalarAsync(statement with { Varies = true }, cancellationToken).ConfigureAwait(false) is not null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="period"/> is not <c>{n}h</c> (1–168) or <c>{n}d</c> (1–90).</exception>
    public Task<IReadOnlyDictionary<long, IReadOnlyList<(long Start, long Count)>>> GetStatsAsync(IReadOnlyList<long> issueIds, string period, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        // The window is checked before the task starts: a bad period throws at the call.
        GetStatsAsync(IssueStatsWindow.Create(issueIds, period, now), cancellationToken);

    private async Task<IReadOnlyDictionary<long, IReadOnlyList<(long Start, long Count)>>> GetStatsAsync(IssueStatsWindow window, CancellationToken cancellationToken)
    {
        var statements = window.IssueIds.Chunk(StatsChunk).Select(chunk => IssueSql.Stats(chunk, window, _commands.Dialect)).ToList();
        await _commands.ReadEachAsync(statements, (_, r) => window.Add(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), cancellationToken).ConfigureAwait(false);
        return window.Result();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IssueTagKey>> GetTagsAsync(long issueId, int topValues, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topValues);
        return GetTagsAsync(issueId, (long)topValues, cancellationToken);
    }

    private async Task<IReadOnlyList<IssueTagKey>> GetTagsAsync(long issueId, long topValues, CancellationToken cancellationToken)
    {
        var totals = new List<(string Key, long Total, long Unique)>();
        var top = new Dictionary<string, List<IssueTagValue>>(StringComparer.Ordinal);
        await _commands.ReadEachAsync(
            [new(IssueSql.SelectTagKeys, [("@issue_id", issueId)]), new(IssueSql.SelectTopValues, [("@issue_id", issueId), ("@top", topValues)])],
            (statement, r) =>
            {
                if (statement == 0)
                {
                    totals.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
                    return;
                }

                var value = StoreRows.TagValue(r);
                if (!top.TryGetValue(value.Key, out var values))
                {
                    top[value.Key] = values = [];
                }

                values.Add(value);
            },
            cancellationToken).ConfigureAwait(false);

        var keys = new List<IssueTagKey>(totals.Count);
        foreach (var (key, total, unique) in totals)
        {
            keys.Add(new IssueTagKey(key, total, unique, top.TryGetValue(key, out var values) ? values : []));
        }

        return keys;
    }

    /// <inheritdoc />
    public Task<(IReadOnlyList<IssueTagValue> Values, string? NextCursor)> GetTagValuesAsync(long issueId, string key, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        // Arguments are checked at the call, not in the task.
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var after = string.IsNullOrEmpty(cursor) ? (StoreCursor?)null : StoreCursor.Decode(cursor, ValuesCursorTag);

        // One extra row tells whether a next page exists.
        var statement = after is { } position
            ? new SqlStatement(IssueSql.SelectValuesNextPage,
                [("@issue_id", issueId), ("@tag_key", key), ("@times_seen", position.Number), ("@tag_value", position.Text), ("@limit", limit + 1)])
            : new SqlStatement(IssueSql.SelectValuesFirstPage, [("@issue_id", issueId), ("@tag_key", key), ("@limit", limit + 1)]);
        return GetTagValuesAsync(statement, limit, cancellationToken);
    }

    private async Task<(IReadOnlyList<IssueTagValue> Values, string? NextCursor)> GetTagValuesAsync(SqlStatement statement, int limit, CancellationToken cancellationToken)
    {
        var values = await _commands.QueryAsync(statement, StoreRows.TagValue, cancellationToken).ConfigureAwait(false);
        string? next = null;
        if (values.Count > limit)
        {
            values.RemoveAt(limit);
            next = new StoreCursor(ValuesCursorTag, values[^1].Count, values[^1].Value).Encode();
        }

        return (values, next);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Hash, string ConfigId)>> GetHashesAsync(long issueId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(new(IssueSql.SelectHashes, [("@issue_id", issueId)]), static r => (r.GetString(0), r.GetString(1)), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IssueChangeMark> GetChangeMarkAsync(IReadOnlyList<long> projectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectIds);

        // One index lookup per project (IssueChangeSql), all in one read; the newest activity last.
        var statements = new List<SqlStatement>(projectIds.Count + 1);
        foreach (var id in projectIds)
        {
            statements.Add(new(IssueChangeSql.ProjectLastSeen, [("@project_id", id)]));
        }

        statements.Add(new(IssueChangeSql.LastActivityId, []));
        long lastSeen = 0;
        long activity = 0;
        await _commands.ReadEachAsync(statements, (statement, r) =>
        {
            if (statement < projectIds.Count)
            {
                lastSeen = Math.Max(lastSeen, r.GetInt64(0));
            }
            else
            {
                activity = r.GetInt64(0);
            }
        }, cancellationToken).ConfigureAwait(false);
        return new IssueChangeMark(lastSeen, activity);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(long issueId, CancellationToken cancellationToken = default) =>
        await _commands.WriteAsync("issues.delete", IssueSql.Deletes.Select(sql => new SqlStatement(sql, [("@id", issueId)])).ToList(), guarded: false, cancellationToken)
            .ConfigureAwait(false);
}
