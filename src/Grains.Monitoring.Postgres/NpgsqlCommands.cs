using Grains.Monitoring.Storage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace Grains.Monitoring.Postgres;

/// <summary>Parameter helpers for the monitoring stores' commands.</summary>
internal static class NpgsqlCommands
{
    /// <summary>Adds a parameter whose type follows its (non-null) value: long → bigint, int → integer, string → text, byte[] → bytea.</summary>
    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection parameters, string name, object value)
    {
        parameters.AddWithValue(name, value);
        return parameters;
    }

    /// <summary>Adds a text parameter that may be null.</summary>
    public static NpgsqlParameterCollection WithText(this NpgsqlParameterCollection parameters, string name, string? value)
    {
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return parameters;
    }

    /// <summary>Adds a bigint parameter that may be null.</summary>
    public static NpgsqlParameterCollection WithInt64(this NpgsqlParameterCollection parameters, string name, long? value)
    {
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = (object?)value ?? DBNull.Value });
        return parameters;
    }

    /// <summary>Adds an array parameter (for <c>unnest</c>).</summary>
    public static NpgsqlParameterCollection WithArray<T>(this NpgsqlParameterCollection parameters, string name, T[] values)
    {
        parameters.Add(new NpgsqlParameter<T[]>(name, values));
        return parameters;
    }

    /// <summary>A command over <paramref name="connection"/> for a shared statement, its parameters bound.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, SqlStatement statement)
    {
        var command = new NpgsqlCommand(statement.Sql, connection);
        command.Parameters.Bind(statement);
        return command;
    }

    /// <summary>Adds a shared statement's parameters; a <see cref="SqlNull"/> becomes a NULL of its type.</summary>
    public static NpgsqlParameterCollection Bind(this NpgsqlParameterCollection parameters, SqlStatement statement)
    {
        foreach (var (name, value) in statement.Parameters)
        {
            if (value is SqlNull none)
            {
                parameters.Add(new NpgsqlParameter(name, none.Type) { Value = DBNull.Value });
            }
            else
            {
                parameters.AddWithValue(name, value);
            }
        }

        return parameters;
    }

    /// <summary>Whether <paramref name="exception"/> is a unique-constraint violation (SQLSTATE 23505).</summary>
    public static bool IsUniqueViolation(this PostgresException exception) => exception.SqlState == PostgresErrorCodes.UniqueViolation;
}
