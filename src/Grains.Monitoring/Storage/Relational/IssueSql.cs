namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The query side of the issue store (<see cref="IIssueStore"/>), the same on SQLite and PostgreSQL: issue
/// rows, hash links, tag aggregates and hourly counts read back, and an issue's rows deleted. The writes of
/// a snapshot are <see cref="IssueBatchSql"/>'s and the backends'.
/// </summary>
public static class IssueSql
{
    public const string SelectIssue = $"SELECT {IssuePagePlan.IssueColumns} FROM issues i WHERE i.id = @id";

    public const string SelectByHash = "SELECT issue_id FROM issue_hashes WHERE project_id = @project_id AND hash = @hash";

    public const string SelectGrainKey = "SELECT grain_key FROM issues WHERE id = @id";

    // PostgreSQL sums bigints as numeric; the cast keeps both backends' totals 64-bit integers.
    public const string SelectTagKeys = """
        SELECT tag_key, CAST(SUM(times_seen) AS BIGINT), COUNT(*) FROM issue_tags WHERE issue_id = @issue_id
        GROUP BY tag_key ORDER BY tag_key
        """;

    public const string SelectTopValues = """
        SELECT tag_key, tag_value, times_seen, first_seen, last_seen FROM (
            SELECT tag_key, tag_value, times_seen, first_seen, last_seen,
                   ROW_NUMBER() OVER (PARTITION BY tag_key ORDER BY times_seen DESC, tag_value) AS rank_in_key
            FROM issue_tags WHERE issue_id = @issue_id) ranked
        WHERE rank_in_key <= @top
        ORDER BY tag_key, times_seen DESC, tag_value
        """;

    public const string SelectValuesFirstPage = """
        SELECT tag_key, tag_value, times_seen, first_seen, last_seen FROM issue_tags
        WHERE issue_id = @issue_id AND tag_key = @tag_key
        ORDER BY times_seen DESC, tag_value LIMIT @limit
        """;

    public const string SelectValuesNextPage = """
        SELECT tag_key, tag_value, times_seen, first_seen, last_seen FROM issue_tags
        WHERE issue_id = @issue_id AND tag_key = @tag_key AND (times_seen < @times_seen OR (times_seen = @times_seen AND tag_value > @tag_value))
        ORDER BY times_seen DESC, tag_value LIMIT @limit
        """;

    public const string SelectHashes = "SELECT hash, config_id FROM issue_hashes WHERE issue_id = @issue_id ORDER BY hash";

    /// <summary>An issue's rows, its summary last (the hash links, tag values and hours go with it).</summary>
    public static IReadOnlyList<string> Deletes { get; } =
    [
        "DELETE FROM issue_hashes WHERE issue_id = @id",
        "DELETE FROM issue_tags WHERE issue_id = @id",
        "DELETE FROM issue_hourly WHERE issue_id = @id",
        "DELETE FROM issues WHERE id = @id",
    ];

    /// <summary>The hourly counts of <paramref name="issueIds"/> in <paramref name="window"/> (an id list or array by dialect).</summary>
    public static SqlStatement Stats(IReadOnlyList<long> issueIds, IssueStatsWindow window, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(dialect);
        var parameters = new List<(string Name, object Value)>(issueIds.Count + 2);
        var ids = dialect.InList("issue_id", "@ids", issueIds, parameters);
        parameters.Add(("@from", window.From));
        parameters.Add(("@to", window.To));
        return new SqlStatement($"SELECT issue_id, hour_start, event_count FROM issue_hourly WHERE {ids} AND hour_start >= @from AND hour_start < @to", parameters)
        {
            Varies = !dialect.Arrays,
        };
    }
}
