using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Grains.Postgres.Schema;

/// <summary>
/// Brings a component's tables in one PostgreSQL database to the newest of its
/// <see cref="PostgresMigration"/>s, exactly once however many processes start at the same time.
/// </summary>
/// <remarks>
/// <para>
/// Each run opens one connection, begins a transaction, takes the transaction-scoped advisory lock
/// <see cref="LockKey"/>, reads the component's version from <c>grains_component_schema</c>, applies
/// every newer migration in order and records each as a row, then commits (which releases the lock).
/// A second process blocks on the lock and then finds nothing to do; a failing script rolls the
/// whole run back (PostgreSQL DDL is transactional), so a database is never left half-migrated.
/// This is what makes non-idempotent scripts (the official Orleans ones) safe to apply at start.
/// </para>
/// <para>
/// The table and the lock key are those the runtime Grains carried before Orleans used, so a
/// database it created is recognised: its rows of other components are left alone.
/// </para>
/// </remarks>
public sealed class PostgresSchemaMigrator
{
    /// <summary>
    /// The key of the transaction-scoped advisory lock every migration takes first: "GRAINS" in ASCII
    /// followed by 0x0001 (the same key as the old runtime's migrations). A single bigint key cannot
    /// collide with two-integer advisory locks.
    /// </summary>
    public const long LockKey = 0x4752_4149_4E53_0001;

    /// <summary>The table that records applied versions, one row per (component, version).</summary>
    public const string VersionTable = "grains_component_schema";

    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS grains_component_schema (
            component   text        NOT NULL,
            version     integer     NOT NULL,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL,
            PRIMARY KEY (component, version)
        )
        """;

    private const string SelectVersion = "SELECT COALESCE(MAX(version), 0) FROM grains_component_schema WHERE component = @component";

    private const string InsertVersion = """
        INSERT INTO grains_component_schema (component, version, description, applied_at)
        VALUES (@component, @version, @description, now())
        """;

    private readonly string _connectionString;
    private readonly int _timeoutSeconds;
    private readonly ILogger _logger;

    /// <summary>Creates a migrator for one database (it does not connect yet).</summary>
    /// <param name="connectionString">The Npgsql connection string; the run uses one unpooled connection of it.</param>
    /// <param name="timeout">How long a run may take, waiting for another process's run included (the command timeout of the lock and of each script).</param>
    /// <param name="logger">For the applied versions and failures; none when <c>null</c>.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or the timeout is not positive.</exception>
    public PostgresSchemaMigrator(string connectionString, TimeSpan timeout, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (timeout <= TimeSpan.Zero || timeout.TotalSeconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The migration timeout must be positive.");
        }

        NpgsqlConnectionStringBuilder settings;
        try
        {
            // Unpooled: the run needs one session for its transaction and lock, once per process start.
            settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            // The message names the offending keyword, never the string (it may hold a password).
            throw new ArgumentException($"The PostgreSQL connection string is malformed: {exception.Message}", nameof(connectionString), exception);
        }

        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "Grains";
        }

        _connectionString = settings.ConnectionString;
        Endpoint = Describe(settings);
        _timeoutSeconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Where the database is, for logs and errors: host, port, database and user (never the password).</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Applies, in order and in one transaction under <see cref="LockKey"/>, every migration of
    /// <paramref name="component"/> above the version recorded in <see cref="VersionTable"/>.
    /// Safe to call repeatedly and from many processes at once.
    /// </summary>
    /// <param name="component">The component's name (e.g. <c>orleans</c>).</param>
    /// <param name="migrations">The component's migrations in version order (index 0 is version 1).</param>
    /// <param name="cancellationToken">Cancels the run (nothing of it is kept).</param>
    /// <returns>How many migrations this call applied (0 when the schema was already current).</returns>
    /// <exception cref="InvalidOperationException">The database has a newer schema for the component than <paramref name="migrations"/> know.</exception>
    /// <exception cref="NpgsqlException">The server is unreachable or a script failed (nothing of the run is kept).</exception>
    public async Task<int> MigrateAsync(string component, IReadOnlyList<PostgresMigration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i] is null || string.IsNullOrWhiteSpace(migrations[i].Sql) || migrations[i].Description is null)
            {
                throw new ArgumentException($"Migration {i + 1} of '{component}' has no SQL or no description.", nameof(migrations));
            }
        }

        var started = Stopwatch.GetTimestamp();
        using var activity = PostgresDiagnostics.ActivitySource.StartActivity("grains.postgres.migrate", ActivityKind.Client);
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("grains.postgres.component", component);
        try
        {
            var (current, applied) = await RunAsync(component, migrations, cancellationToken).ConfigureAwait(false);
            for (var version = current + 1; version <= current + applied; version++)
            {
                PostgresLog.MigrationApplied(_logger, component, version, migrations[version - 1].Description);
            }

            PostgresLog.SchemaReady(_logger, component, migrations.Count, Endpoint, applied);
            activity?.SetTag("grains.postgres.schema_version", migrations.Count);
            activity?.SetTag("grains.postgres.applied", applied);
            PostgresDiagnostics.MigrationsApplied.Add(applied, new KeyValuePair<string, object?>("grains.postgres.component", component));
            return applied;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            PostgresLog.MigrationFailed(_logger, exception, component, Endpoint);
            throw;
        }
        finally
        {
            PostgresDiagnostics.MigrationDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("grains.postgres.component", component));
        }
    }

    private async Task<(int Current, int Applied)> RunAsync(string component, IReadOnlyList<PostgresMigration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NpgsqlException($"Could not open a connection to PostgreSQL at {Endpoint}: {exception.Message}", exception);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = Command(connection, "SELECT pg_advisory_xact_lock(@key)"))
        {
            command.Parameters.AddWithValue("key", LockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Under the lock, so two processes never race on creating the table itself.
        await using (var command = Command(connection, CreateVersionTable))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int current;
        await using (var command = Command(connection, SelectVersion))
        {
            command.Parameters.AddWithValue("component", component);
            current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (current > migrations.Count)
        {
            throw new InvalidOperationException(
                $"PostgreSQL database {Endpoint} has schema version {current} for '{component}'; this build knows up to {migrations.Count}.");
        }

        for (var version = current + 1; version <= migrations.Count; version++)
        {
            var migration = migrations[version - 1];
            await using (var command = Command(connection, migration.Sql))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = Command(connection, InsertVersion))
            {
                command.Parameters.AddWithValue("component", component);
                command.Parameters.AddWithValue("version", version);
                command.Parameters.AddWithValue("description", migration.Description);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (current, migrations.Count - current);
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql) =>
        new(sql, connection) { CommandTimeout = _timeoutSeconds };

    private static string Describe(NpgsqlConnectionStringBuilder settings) =>
        string.Create(CultureInfo.InvariantCulture, $"{settings.Host ?? "(default host)"}:{settings.Port}/{settings.Database ?? "(default database)"} as {settings.Username ?? "(default user)"}");
}
