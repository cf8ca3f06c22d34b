using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Grains.Sqlite;

/// <summary>
/// The surface other components (the monitoring stores, say) use to keep their own tables in this
/// database: writes join the group-commit transaction, reads use the pooled read connections, and
/// each component versions its own schema.
/// </summary>
public sealed partial class SqliteDatabase
{
    private const string CreateComponentSchemaTable = """
        CREATE TABLE IF NOT EXISTS grains_component_schema (
            component   TEXT    NOT NULL,
            version     INTEGER NOT NULL,
            description TEXT    NOT NULL,
            applied_at  BIGINT  NOT NULL,
            PRIMARY KEY (component, version)
        )
        """;

    private const string SelectComponentVersions = "SELECT version FROM grains_component_schema WHERE component = @component";

    private const string InsertComponentVersion = """
        INSERT INTO grains_component_schema (component, version, description, applied_at)
        VALUES (@component, @version, @description, @applied_at)
        """;

    /// <summary>
    /// Runs <paramref name="execute"/> on the writer connection inside the next group-commit
    /// transaction, under its own savepoint: if it throws, only its own statements are undone and
    /// the task fails with the exception. The task completes after the transaction committed.
    /// </summary>
    /// <remarks>
    /// <paramref name="execute"/> runs on the writer thread: keep it to SQL (prepare payloads before
    /// calling) and never block in it. It must not open transactions itself. The connection keeps
    /// commands prepared across calls, so a caller may cache its commands per connection.
    /// </remarks>
    /// <param name="kind">A short name for logs and metrics (e.g. <c>events.append</c>).</param>
    /// <param name="state">Passed to <paramref name="execute"/> (lets a static lambda avoid a closure).</param>
    /// <param name="execute">The statements; its result becomes the task's result.</param>
    /// <param name="cancellationToken">Cancels the write while it is still queued.</param>
    public Task<T> WriteAsync<TState, T>(string kind, TState state, Func<SqliteConnection, TState, T> execute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(execute);
        return EnqueueAsync(new ComponentWrite<TState, T>(kind, state, execute), cancellationToken);
    }

    /// <inheritdoc cref="WriteAsync{TState, T}(string, TState, Func{SqliteConnection, TState, T}, CancellationToken)" />
    public Task<T> WriteAsync<T>(string kind, Func<SqliteConnection, T> execute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execute);
        return WriteAsync(kind, execute, static (connection, run) => run(connection), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a pooled read-only connection (its own WAL snapshot, beside
    /// the writer). The connection is returned to the pool afterwards: do not keep it or its readers.
    /// </summary>
    public T Read<TState, T>(TState state, Func<SqliteConnection, TState, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Read((state, read), static (commands, s) => s.read(commands.Connection, s.state));
    }

    /// <inheritdoc cref="Read{TState, T}(TState, Func{SqliteConnection, TState, T})" />
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Read(read, static (commands, run) => run(commands.Connection));
    }

    /// <summary>
    /// Brings a component's tables to the newest of <paramref name="migrations"/>: applies, in one
    /// write and in version order, every migration whose version is not yet recorded for
    /// <paramref name="component"/> in <c>grains_component_schema</c>. Safe to call more than once
    /// (and from several processes).
    /// </summary>
    /// <remarks>
    /// Versions must ascend but may leave gaps: parallel branches reserve version numbers up front and
    /// may land out of order, so a database that already has 1, 2 and 5 gets 3 and 4 when they arrive
    /// (each migration must therefore not depend on a later-numbered one).
    /// </remarks>
    /// <param name="component">The component's name (e.g. <c>monitoring</c>).</param>
    /// <param name="migrations">Ascending versions (1, 2, …); append new ones, never edit an applied one.</param>
    /// <exception cref="InvalidOperationException">The file has a newer schema for the component than <paramref name="migrations"/> know.</exception>
    public void Migrate(string component, IReadOnlyList<(int Version, string Description, string Sql)> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (i == 0 ? migrations[i].Version != 1 : migrations[i].Version <= migrations[i - 1].Version)
            {
                throw new ArgumentException($"Migration {i} of '{component}' has version {migrations[i].Version}; versions must ascend from 1.", nameof(migrations));
            }
        }

        // Blocking is fine: this runs once at start, and the writer thread never waits on callers.
        WriteAsync("schema.migrate", (component, migrations, database: this), static (connection, s) =>
        {
            Execute(connection, CreateComponentSchemaTable);
            var applied = new HashSet<long>();
            using (var select = connection.CreateCommand())
            {
                select.CommandText = SelectComponentVersions;
                select.Parameters.AddWithValue("@component", s.component);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            var latest = s.migrations.Count == 0 ? 0 : s.migrations[^1].Version;
            if (applied.Count > 0 && applied.Max() > latest)
            {
                throw new InvalidOperationException(
                    $"SQLite database {s.database.DataSource} has schema version {applied.Max()} for '{s.component}'; this build knows up to {latest}.");
            }

            foreach (var migration in s.migrations)
            {
                if (applied.Contains(migration.Version))
                {
                    continue;
                }

                Execute(connection, migration.Sql);
                using var insert = connection.CreateCommand();
                insert.CommandText = InsertComponentVersion;
                insert.Parameters.AddWithValue("@component", s.component);
                insert.Parameters.AddWithValue("@version", migration.Version);
                insert.Parameters.AddWithValue("@description", migration.Description);
                insert.Parameters.AddWithValue("@applied_at", SqliteTime.ToMicroseconds(DateTimeOffset.UtcNow));
                insert.ExecuteNonQuery();
                SqliteLog.MigrationApplied(s.database._logger, migration.Version, $"{s.component}: {migration.Description}");
            }

            return latest;
        }).GetAwaiter().GetResult();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A component's write: a delegate with its state.</summary>
    private sealed class ComponentWrite<TState, T>(string kind, TState state, Func<SqliteConnection, TState, T> execute) : SqliteWriteOperation<T>
    {
        public override string Kind => kind;

        protected override T ExecuteCore(SqliteWriteContext context) => execute(context.Commands.Connection, state);
    }
}
