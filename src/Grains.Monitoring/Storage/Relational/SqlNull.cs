using System.Data;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// A NULL parameter value that keeps its type. PostgreSQL is sent a NULL as text or bigint (so a
/// statement keeps one prepared shape whether the value is there or not); SQLite binds plain NULL.
/// </summary>
public sealed class SqlNull
{
    private SqlNull(DbType type) => Type = type;

    public static SqlNull Text { get; } = new(DbType.String);

    public static SqlNull Integer { get; } = new(DbType.Int64);

    /// <summary>The parameter type a backend that types its parameters uses.</summary>
    public DbType Type { get; }

    /// <summary>The value, or a text NULL.</summary>
    public static object Of(string? value) => (object?)value ?? Text;

    /// <summary>The value, or an integer NULL.</summary>
    public static object Of(long? value) => value is { } number ? number : Integer;
}
