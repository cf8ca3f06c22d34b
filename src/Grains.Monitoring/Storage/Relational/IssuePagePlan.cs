using System.Globalization;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// One page of an issue list with keyset paging: the sort column descending, the id breaking ties.
/// A next cursor holds the page's last row, a previous cursor its first row; each page is read
/// from its index position, so page 100 costs what page 1 does.
/// </summary>
/// <remarks>
/// The plan writes the SQL and assembles the page; the backend runs the statements: first
/// <see cref="Query"/> (its rows mapped in order), then — when <see cref="Neighbor"/> asks for one — a
/// probe whether a matching row lies beyond the page, and <see cref="Complete"/> builds the page.
/// </remarks>
public sealed class IssuePagePlan
{
    private const int MaxLimit = 100;

    private readonly IssueSqlFilter _filter;
    private readonly string _column;
    private readonly string _sort;
    private readonly int _limit;
    private readonly StoreCursor? _cursor;
    private readonly bool _backward;

    // Set by Neighbor: the query found a row past the limit (a plan serves one page).
    private bool _moreInDirection;

    private IssuePagePlan(IssueSqlFilter filter, string column, string sort, int limit, StoreCursor? cursor, bool backward)
    {
        _filter = filter;
        _column = column;
        _sort = sort;
        _limit = limit;
        _cursor = cursor;
        _backward = backward;
    }

    /// <summary>The columns <see cref="Query"/> selects, in the order <see cref="StoreRows.Issue"/> reads them.</summary>
    public const string IssueColumns = """
        i.id, i.project_id, i.grain_key, i.short_number, i.title, i.culprit, i.level, i.platform, i.logger, i.issue_type,
        i.metadata_json, i.status, i.substatus, i.status_details_json, i.first_seen, i.last_seen, i.times_seen, i.user_count,
        i.first_release, i.last_release, i.error_type, i.error_value, i.search_text
        """;

    /// <exception cref="ArgumentException">Unknown sort, or a cursor not issued for this sort.</exception>
    public static IssuePagePlan Create(IssueQuery query, IssueSqlFilter filter)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        var sort = string.IsNullOrEmpty(query.Sort) ? "date" : query.Sort;
        var column = sort switch
        {
            "date" => "i.last_seen",
            "new" => "i.first_seen",
            "freq" => "i.times_seen",
            "user" => "i.user_count",
            _ => throw new ArgumentException($"Unknown sort '{sort}' (expected date, new, freq or user).", nameof(query)),
        };

        StoreCursor? cursor = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            // The tag carries the direction and the sort, so a cursor from another sort is rejected rather than misread.
            var decoded = StoreCursor.Decode(query.Cursor, "n" + sort, "p" + sort);
            if (!long.TryParse(decoded.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw new ArgumentException($"Invalid cursor '{query.Cursor}'.", nameof(query));
            }

            cursor = decoded;
        }

        return new IssuePagePlan(filter, column, sort, Math.Clamp(query.Limit, 1, MaxLimit), cursor, cursor?.Tag[0] == 'p');
    }

    /// <summary>The page's rows (one more than the limit, to tell whether more follow).</summary>
    public SqlStatement Query
    {
        get
        {
            var parameters = new List<(string Name, object Value)>(_filter.Parameters);

            // Walking backward reads the rows above the cursor in ascending order, then flips them.
            var condition = _cursor is { } c ? " AND " + Beyond(parameters, c.Number, long.Parse(c.Text, CultureInfo.InvariantCulture), above: _backward) : "";
            var order = _backward ? "ASC" : "DESC";
            parameters.Add(("@limit", _limit + 1));
            return new SqlStatement($"""
                SELECT {IssueColumns} FROM issues i
                WHERE {_filter.Sql}{condition}
                ORDER BY {_column} {order}, i.id {order} LIMIT @limit
                """, parameters);
        }
    }

    /// <summary>
    /// Trims and orders the rows <see cref="Query"/> returned (in place) and gives the probe whose answer
    /// <see cref="Complete"/> needs, or null when none is needed.
    /// </summary>
    /// <returns>A statement that returns a row when a matching issue lies beyond the page on its other side.</returns>
    public SqlStatement? Neighbor(List<IssueRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > _limit)
        {
            rows.RemoveRange(_limit, rows.Count - _limit);
            _moreInDirection = true;
        }

        if (_backward)
        {
            rows.Reverse();
            return rows.Count > 0 ? Exists(SortValue(rows[^1]), rows[^1].Id, above: false) : Exists(_cursor!.Value, above: false);
        }

        if (_cursor is not { } c)
        {
            return null;
        }

        return rows.Count > 0 ? Exists(SortValue(rows[0]), rows[0].Id, above: true) : Exists(c, above: true);
    }

    /// <summary>The page from the rows <see cref="Neighbor"/> prepared and the probe's answer (false when there was none).</summary>
    public IssuePage Complete(List<IssueRecord> rows, bool neighborExists)
    {
        ArgumentNullException.ThrowIfNull(rows);
        bool hasPrevious, hasNext;
        if (_backward)
        {
            hasPrevious = _moreInDirection;
            hasNext = neighborExists;
        }
        else
        {
            hasNext = _moreInDirection;
            hasPrevious = _cursor is not null && neighborExists;
        }

        return new IssuePage(
            rows,
            hasPrevious && rows.Count > 0 ? Encode("p", rows[0]) : hasPrevious ? new StoreCursor("p" + _sort, _cursor!.Value.Number, _cursor.Value.Text).Encode() : null,
            hasNext && rows.Count > 0 ? Encode("n", rows[^1]) : hasNext ? new StoreCursor("n" + _sort, _cursor!.Value.Number, _cursor.Value.Text).Encode() : null);
    }

    /// <summary>Runs the plan with synchronous statements (<paramref name="query"/> maps the rows; <paramref name="exists"/> tells whether a statement returns a row).</summary>
    public IssuePage Execute(Func<SqlStatement, List<IssueRecord>> query, Func<SqlStatement, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(exists);
        var rows = query(Query);
        var probe = Neighbor(rows);
        return Complete(rows, probe is not null && exists(probe));
    }

    /// <summary>Runs the plan with asynchronous statements.</summary>
    public async Task<IssuePage> ExecuteAsync(Func<SqlStatement, Task<List<IssueRecord>>> query, Func<SqlStatement, Task<bool>> exists)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(exists);
        var rows = await query(Query).ConfigureAwait(false);
        var probe = Neighbor(rows);
        return Complete(rows, probe is not null && await exists(probe).ConfigureAwait(false));
    }

    private string Encode(string direction, IssueRecord row) => new StoreCursor(direction + _sort, SortValue(row), row.Id.ToString(CultureInfo.InvariantCulture)).Encode();

    private long SortValue(IssueRecord row) => _sort switch
    {
        "date" => StoreTime.ToMicroseconds(row.LastSeen),
        "new" => StoreTime.ToMicroseconds(row.FirstSeen),
        "freq" => row.TimesSeen,
        _ => row.UserCount,
    };

    private SqlStatement Exists(StoreCursor cursor, bool above) => Exists(cursor.Number, long.Parse(cursor.Text, CultureInfo.InvariantCulture), above);

    // Whether any matching row lies above (earlier in the list) or below the position.
    private SqlStatement Exists(long value, long id, bool above)
    {
        var parameters = new List<(string Name, object Value)>(_filter.Parameters);
        return new SqlStatement($"SELECT 1 FROM issues i WHERE {_filter.Sql} AND {Beyond(parameters, value, id, above)} LIMIT 1", parameters);
    }

    // Rows strictly above (greater in sort order, earlier in the descending list) or below a position.
    private string Beyond(List<(string Name, object Value)> parameters, long value, long id, bool above)
    {
        parameters.Add(("@cursor_value", value));
        parameters.Add(("@cursor_id", id));
        var op = above ? ">" : "<";
        return $"({_column} {op} @cursor_value OR ({_column} = @cursor_value AND i.id {op} @cursor_id))";
    }
}
