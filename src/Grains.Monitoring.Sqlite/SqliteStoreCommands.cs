using System.Data.Common;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// <see cref="StoreCommands"/> over the shared <see cref="SqliteDatabase"/>: reads run on a pooled read
/// connection, writes are one operation on the single writer (its own savepoint inside the group
/// commit), and every statement is a command prepared once per connection (<see cref="SqlCommands"/>).
/// </summary>
internal sealed class SqliteStoreCommands : StoreCommands
{
    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY (extended result codes of SQLITE_CONSTRAINT, 19).
    private const int ConstraintUnique = 2067;
    private const int ConstraintPrimaryKey = 1555;

    private readonly SqliteDatabase _database;

    public SqliteStoreCommands(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public override SqlDialect Dialect => SqlDialect.Sqlite;

    /// <inheritdoc />
    public override Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((statement, map), static (connection, s) => Rows(connection, s.statement, s.map)));
    }

    /// <inheritdoc />
    public override Task<object?> ScalarAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(statement, static (connection, s) => Scalar(connection, s)));
    }

    /// <inheritdoc />
    public override Task ReadEachAsync(IReadOnlyList<SqlStatement> statements, Action<int, DbDataReader> row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(row);
        cancellationToken.ThrowIfCancellationRequested();
        _database.Read((statements, row), static (connection, s) =>
        {
            for (var i = 0; i < s.statements.Count; i++)
            {
                Each(connection, s.statements[i], i, s.row);
            }

            return true;
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<object?> WriteScalarAsync(string kind, SqlStatement statement, CancellationToken cancellationToken) =>
        _database.WriteAsync(kind, statement, static (connection, s) => Scalar(connection, s), cancellationToken);

    /// <inheritdoc />
    public override Task<List<T>> WriteQueryAsync<T>(string kind, SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken) =>
        _database.WriteAsync(kind, (statement, map), static (connection, s) => Rows(connection, s.statement, s.map), cancellationToken);

    /// <inheritdoc />
    public override Task<int[]> WriteAsync(string kind, IReadOnlyList<SqlStatement> statements, bool guarded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        return statements.Count == 0
            ? Task.FromResult(Array.Empty<int>())
            : _database.WriteAsync(kind, (statements, guarded), static (connection, s) =>
            {
                var counts = new int[s.statements.Count];
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] = NonQuery(connection, s.statements[i]);
                    if (i == 0 && s.guarded && counts[0] == 0)
                    {
                        break;
                    }
                }

                return counts;
            }, cancellationToken);
    }

    /// <inheritdoc />
    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };

    // A statement whose text is fixed runs as the connection's prepared command; one whose text varies
    // runs as a command of its own, so the per-connection cache holds only the fixed statements.
    private static List<T> Rows<T>(SqliteConnection connection, SqlStatement statement, Func<DbDataReader, T> map)
    {
        var rows = new List<T>();
        Each(connection, statement, 0, (_, reader) => rows.Add(map(reader)));
        return rows;
    }

    private static void Each(SqliteConnection connection, SqlStatement statement, int index, Action<int, DbDataReader> row)
    {
        using var owned = statement.Varies ? connection.Command(statement) : null;
        using var reader = (owned ?? connection.Prepared(statement)).ExecuteReader();
        while (reader.Read())
        {
            row(index, reader);
        }
    }

    private static object? Scalar(SqliteConnection connection, SqlStatement statement)
    {
        using var owned = statement.Varies ? connection.Command(statement) : null;
        var value = (owned ?? connection.Prepared(statement)).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static int NonQuery(SqliteConnection connection, SqlStatement statement)
    {
        using var owned = statement.Varies ? connection.Command(statement) : null;
        return (owned ?? connection.Prepared(statement)).ExecuteNonQuery();
    }
}
