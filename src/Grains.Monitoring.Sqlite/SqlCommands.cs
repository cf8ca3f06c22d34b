using System.Runtime.CompilerServices;
using Grains.Monitoring.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary>
/// Prepared commands cached per connection: the hot-path statements (event append, issue save) are
/// compiled once per connection and their parameter objects reused, instead of on every call.
/// </summary>
/// <remarks>
/// A connection is used by one thread at a time (the writer thread, or whoever rented a reader), so
/// each connection's dictionary needs no lock. The cache dies with its connection.
/// </remarks>
internal static class SqlCommands
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Caches = new();

    /// <summary>The cached command for <paramref name="sql"/> on <paramref name="connection"/> (parameters keep their last values: set them all).</summary>
    public static SqliteCommand Prepared(this SqliteConnection connection, string sql)
    {
        var commands = Caches.GetValue(connection, static _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        return command;
    }

    /// <summary>The cached command for a shared statement whose text is fixed, its parameters (all of them) set.</summary>
    public static SqliteCommand Prepared(this SqliteConnection connection, SqlStatement statement)
    {
        var command = connection.Prepared(statement.Sql);
        foreach (var (name, value) in statement.Parameters)
        {
            command.Set(name, value);
        }

        return command;
    }

    /// <summary>Sets (adding it the first time) a parameter; null (or a <see cref="SqlNull"/>) becomes SQL NULL.</summary>
    public static SqliteCommand Set(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value is null or SqlNull ? DBNull.Value : value);
        }
        else
        {
            parameters[index].Value = value is null or SqlNull ? DBNull.Value : value;
        }

        return command;
    }

    /// <summary>A new (uncached) command for a statement whose text varies, its parameters bound.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, SqlStatement statement)
    {
        var command = connection.CreateCommand();
        command.CommandText = statement.Sql;
        foreach (var (name, value) in statement.Parameters)
        {
            command.Parameters.AddWithValue(name, value is SqlNull ? DBNull.Value : value);
        }

        return command;
    }
}
