using System.Globalization;
using Grains.Monitoring.Storage;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// One page of an issue list with keyset paging: the sort column descending, the id breaking ties.
/// A next cursor holds the page's last row, a previous cursor its first row; each page is read
/// from its index position, so page 100 costs what page 1 does.
/// </summary>
internal sealed class IssuePagePlan
{
    private const int MaxLimit = 100;

    private readonly IssueSqlFilter _filter;
    private readonly string _column;
    private readonly string _sort;
    private readonly int _limit;
    private readonly Cursor? _cursor;
    private readonly bool _backward;

    private IssuePagePlan(IssueSqlFilter filter, string column, string sort, int limit, Cursor? cursor, bool backward)
    {
        _filter = filter;
        _column = column;
        _sort = sort;
        _limit = limit;
        _cursor = cursor;
        _backward = backward;
    }

    /// <exception cref="ArgumentException">Unknown sort, or a cursor not issued for this sort.</exception>
    public static IssuePagePlan Create(IssueQuery query, IssueSqlFilter filter)
    {
        var sort = string.IsNullOrEmpty(query.Sort) ? "date" : query.Sort;
        var column = sort switch
        {
            "date" => "i.last_seen",
            "new" => "i.first_seen",
            "freq" => "i.times_seen",
            "user" => "i.user_count",
            _ => throw new ArgumentException($"Unknown sort '{sort}' (expected date, new, freq or user).", nameof(query)),
        };

        Cursor? cursor = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            // The tag carries the direction and the sort, so a cursor from another sort is rejected rather than misread.
            var decoded = Cursor.Decode(query.Cursor, "n" + sort, "p" + sort);
            if (!long.TryParse(decoded.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw new ArgumentException($"Invalid cursor '{query.Cursor}'.", nameof(query));
            }

            cursor = decoded;
        }

        return new IssuePagePlan(filter, column, sort, Math.Clamp(query.Limit, 1, MaxLimit), cursor, cursor?.Tag[0] == 'p');
    }

    public IssuePage Execute(SqliteConnection connection, Func<SqliteDataReader, IssueRecord> map)
    {
        var rows = new List<IssueRecord>(_limit + 1);
        using (var command = connection.CreateCommand())
        {
            // Walking backward reads the rows above the cursor in ascending order, then flips them.
            var condition = _cursor is { } c ? " AND " + Beyond(command, c.Number, long.Parse(c.Text, CultureInfo.InvariantCulture), above: _backward) : "";
            var order = _backward ? "ASC" : "DESC";
            command.CommandText = $"""
                SELECT {SqliteIssueStore.SelectIssueColumns} FROM issues i
                WHERE {_filter.Sql}{condition}
                ORDER BY {_column} {order}, i.id {order} LIMIT @limit
                """;
            _filter.Bind(command);
            command.Parameters.AddWithValue("@limit", _limit + 1);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }
        }

        var moreInDirection = rows.Count > _limit;
        if (moreInDirection)
        {
            rows.RemoveAt(_limit);
        }

        if (_backward)
        {
            rows.Reverse();
        }

        bool hasPrevious, hasNext;
        if (_backward)
        {
            hasPrevious = moreInDirection;
            hasNext = rows.Count > 0 ? Exists(connection, rows[^1], above: false) : Exists(connection, _cursor!.Value, above: false);
        }
        else
        {
            hasNext = moreInDirection;
            hasPrevious = _cursor is { } c && (rows.Count > 0 ? Exists(connection, rows[0], above: true) : Exists(connection, c, above: true));
        }

        return new IssuePage(
            rows,
            hasPrevious && rows.Count > 0 ? Encode("p", rows[0]) : hasPrevious ? new Cursor("p" + _sort, _cursor!.Value.Number, _cursor.Value.Text).Encode() : null,
            hasNext && rows.Count > 0 ? Encode("n", rows[^1]) : hasNext ? new Cursor("n" + _sort, _cursor!.Value.Number, _cursor.Value.Text).Encode() : null);
    }

    private string Encode(string direction, IssueRecord row) => new Cursor(direction + _sort, SortValue(row), row.Id.ToString(CultureInfo.InvariantCulture)).Encode();

    private long SortValue(IssueRecord row) => _sort switch
    {
        "date" => StoreTime.ToMicroseconds(row.LastSeen),
        "new" => StoreTime.ToMicroseconds(row.FirstSeen),
        "freq" => row.TimesSeen,
        _ => row.UserCount,
    };

    private bool Exists(SqliteConnection connection, IssueRecord row, bool above) => Exists(connection, SortValue(row), row.Id, above);

    private bool Exists(SqliteConnection connection, Cursor cursor, bool above) => Exists(connection, cursor.Number, long.Parse(cursor.Text, CultureInfo.InvariantCulture), above);

    // Whether any matching row lies above (earlier in the list) or below the position.
    private bool Exists(SqliteConnection connection, long value, long id, bool above)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT 1 FROM issues i WHERE {_filter.Sql} AND {Beyond(command, value, id, above)} LIMIT 1";
        _filter.Bind(command);
        return command.ExecuteScalar() is not null;
    }

    // Rows strictly above (greater in sort order, earlier in the descending list) or below a position.
    private string Beyond(SqliteCommand command, long value, long id, bool above)
    {
        command.Parameters.AddWithValue("@cursor_value", value);
        command.Parameters.AddWithValue("@cursor_id", id);
        var op = above ? ">" : "<";
        return $"({_column} {op} @cursor_value OR ({_column} = @cursor_value AND i.id {op} @cursor_id))";
    }
}
