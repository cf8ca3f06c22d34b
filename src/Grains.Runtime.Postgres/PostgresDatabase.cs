using System.Diagnostics;
using System.Globalization;
using Grains.Runtime.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Grains.Runtime.Postgres;

/// <summary>
/// One PostgreSQL database shared by <see cref="PostgresGrainStorage"/>, <see cref="PostgresStreamLog"/>,
/// <see cref="PostgresReminderTable"/> and the components that keep their own tables in it (the
/// monitoring stores, say). It owns a pooled <see cref="NpgsqlDataSource"/> and versions each
/// component's schema in <c>grains_component_schema</c>; the runtime's own tables are the component
/// <see cref="RuntimeComponent"/>, migrated on first use (and at host start by <c>AddGrainsPostgres</c>).
/// </summary>
/// <remarks>
/// Nothing connects in the constructor: a malformed connection string fails it, an unreachable
/// server fails the first operation with an <see cref="NpgsqlException"/> that names the endpoint
/// (never the password).
/// </remarks>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The component name of the runtime's tables in <c>grains_component_schema</c>.</summary>
    public const string RuntimeComponent = "runtime";

    /// <summary>
    /// The key of the transaction-scoped advisory lock every migration takes first: "GRAINS" in
    /// ASCII followed by 0x0001. It is a single bigint key, so it cannot collide with the
    /// two-integer advisory locks of partition leases.
    /// </summary>
    internal const long MigrationLockKey = 0x4752_4149_4E53_0001;

    private const string CreateComponentSchemaTable = """
        CREATE TABLE IF NOT EXISTS grains_component_schema (
            component   text        NOT NULL,
            version     integer     NOT NULL,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL,
            PRIMARY KEY (component, version)
        )
        """;

    private const string SelectComponentVersion = "SELECT COALESCE(MAX(version), 0) FROM grains_component_schema WHERE component = @component";

    private const string InsertComponentVersion = """
        INSERT INTO grains_component_schema (component, version, description, applied_at)
        VALUES (@component, @version, @description, now())
        """;

    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _sessionConnectionString;
    private readonly int _migrationTimeoutSeconds;
    private readonly object _runtimeSchemaGate = new();
    private Task? _runtimeSchema;
    private int _disposed;

    /// <summary>Creates the database's connection pool (it does not connect yet).</summary>
    /// <param name="options">The connection string and provider options.</param>
    /// <param name="loggerFactory">For the providers' and Npgsql's logs; none when <c>null</c>.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed, or an option is out of range.</exception>
    public PostgresDatabase(PostgresStorageOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("PostgresStorageOptions.ConnectionString is required (Host=...;Port=...;Username=...;Database=...).", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxAppendBatch, nameof(options));
        if (options.MigrationTimeout <= TimeSpan.Zero || options.MigrationTimeout.TotalSeconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MigrationTimeout, "The migration timeout must be positive.");
        }

        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            // The message names the offending keyword or position, never the string (it may hold a password).
            throw new ArgumentException($"The PostgreSQL connection string is malformed: {exception.Message}", nameof(options), exception);
        }

        var settings = builder.ConnectionStringBuilder;
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "Grains";
        }

        Endpoint = Describe(settings);
        _sessionConnectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false }.ConnectionString;
        MaxAppendBatch = options.MaxAppendBatch;
        TrimStreamOnCheckpoint = options.TrimStreamOnCheckpoint;
        _migrationTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(options.MigrationTimeout.TotalSeconds));
        _logger = loggerFactory?.CreateLogger<PostgresDatabase>() ?? (ILogger)NullLogger.Instance;
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        _dataSource = builder.Build();
        PostgresLog.Created(_logger, Endpoint);
    }

    /// <summary>The pooled data source; components open (and dispose) connections from it.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Where the database is, for logs and errors: host, port, database and user (never the password).</summary>
    public string Endpoint { get; }

    /// <summary>See <see cref="PostgresStorageOptions.MaxAppendBatch"/>.</summary>
    internal int MaxAppendBatch { get; }

    /// <summary>See <see cref="PostgresStorageOptions.TrimStreamOnCheckpoint"/>.</summary>
    internal bool TrimStreamOnCheckpoint { get; }

    /// <summary>
    /// Creates (does not open) a dedicated connection outside the pool, with the full credentials of
    /// the options, for a session that must live as long as what it holds: session advisory locks,
    /// <c>LISTEN</c>. The caller opens and disposes it; <paramref name="configure"/> may set keep-alives,
    /// an application name or timeouts.
    /// </summary>
    /// <remarks>
    /// Use this rather than a connection string rebuilt from <see cref="NpgsqlDataSource.ConnectionString"/>:
    /// Npgsql leaves the password out of that one, so such a connection fails on a server that asks for it.
    /// </remarks>
    /// <param name="configure">Adjusts the settings (pooling stays off unless it turns it on).</param>
    public NpgsqlConnection CreateSessionConnection(Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (configure is null)
        {
            return new NpgsqlConnection(_sessionConnectionString);
        }

        var settings = new NpgsqlConnectionStringBuilder(_sessionConnectionString);
        configure(settings);
        return new NpgsqlConnection(settings.ConnectionString);
    }

    /// <summary>
    /// Brings a component's tables to the newest of <paramref name="migrations"/>. Migration <c>i</c>
    /// (0-based) is schema version <c>i + 1</c>; every migration above the version recorded for
    /// <paramref name="component"/> in <c>grains_component_schema</c> is applied in order, all in one
    /// transaction that first takes a transaction-scoped advisory lock, so silos starting at once
    /// migrate one after the other and the later ones find nothing to do. Safe to call repeatedly.
    /// </summary>
    /// <param name="component">The component's name (e.g. <c>monitoring</c>; the runtime's is <see cref="RuntimeComponent"/>).</param>
    /// <param name="migrations">The scripts in version order; append new ones, never edit an applied one.</param>
    /// <param name="cancellationToken">Cancels the migration (nothing of it is kept).</param>
    /// <exception cref="InvalidOperationException">The database has a newer schema for the component than <paramref name="migrations"/> know.</exception>
    /// <exception cref="NpgsqlException">The server is unreachable or a script failed (nothing of the run is kept).</exception>
    public async Task MigrateAsync(string component, IReadOnlyList<(string Description, string Sql)> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(migrations[i].Sql) || migrations[i].Description is null)
            {
                throw new ArgumentException($"Migration {i + 1} of '{component}' has no SQL or no description.", nameof(migrations));
            }
        }

        using var activity = PostgresDiagnostics.StartActivity("grains.postgres.migrate");
        activity?.SetTag("grains.postgres.component", component);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var command = Command(connection, "SELECT pg_advisory_xact_lock(@key)"))
        {
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = Command(connection, CreateComponentSchemaTable))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int current;
        await using (var command = Command(connection, SelectComponentVersion))
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
            var (description, sql) = migrations[version - 1];
            await using (var command = Command(connection, sql))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = Command(connection, InsertComponentVersion))
            {
                command.Parameters.AddWithValue("component", component);
                command.Parameters.AddWithValue("version", version);
                command.Parameters.AddWithValue("description", description);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        for (var version = current + 1; version <= migrations.Count; version++)
        {
            PostgresLog.MigrationApplied(_logger, component, version, migrations[version - 1].Description);
        }

        PostgresLog.SchemaReady(_logger, component, migrations.Count, Endpoint);
        activity?.SetTag("grains.postgres.schema_version", migrations.Count);
    }

    /// <summary>Closes the pool; later operations fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            PostgresLog.Closed(_logger, Endpoint);
        }
    }

    /// <summary>Migrates the runtime's tables once per instance (again after a failure); completes when they are ready.</summary>
    internal Task EnsureRuntimeSchemaAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _runtimeSchema);
        if (ready is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        Task running;
        lock (_runtimeSchemaGate)
        {
            if (_runtimeSchema is null || _runtimeSchema.IsFaulted || _runtimeSchema.IsCanceled)
            {
                // Not tied to the first caller's token: the others wait for the same run.
                _runtimeSchema = MigrateAsync(RuntimeComponent, PostgresSchema.Migrations, CancellationToken.None);
            }

            running = _runtimeSchema;
        }

        return running.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Opens a pooled connection, after the runtime's tables are ready when <paramref name="runtimeSchema"/>.
    /// A failure to connect is reported with the endpoint.
    /// </summary>
    internal async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken, bool runtimeSchema)
    {
        if (runtimeSchema)
        {
            await EnsureRuntimeSchemaAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one provider operation on a pooled connection (after the runtime's tables are ready), with
    /// its span, duration and outcome metrics, and a log entry when it fails for another reason than
    /// an ETag conflict or the caller's cancellation.
    /// </summary>
    /// <param name="kind">A short name for spans, logs and metrics (e.g. <c>stream.append</c>).</param>
    /// <param name="state">Passed to <paramref name="execute"/> (lets a static lambda avoid a closure).</param>
    /// <param name="execute">The statements.</param>
    /// <param name="cancellationToken">Cancels the operation; a cancelled token fails it before anything runs.</param>
    internal async Task<T> ExecuteAsync<TState, T>(
        string kind, TState state, Func<NpgsqlConnection, TState, CancellationToken, Task<T>> execute, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        using var activity = PostgresDiagnostics.StartActivity("grains.postgres." + kind);
        var outcome = "error";
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken, runtimeSchema: true).ConfigureAwait(false);
            var result = await execute(connection, state, cancellationToken).ConfigureAwait(false);
            outcome = "ok";
            return result;
        }
        catch (InconsistentStateException)
        {
            outcome = "conflict";
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            PostgresLog.OperationFailed(_logger, exception, kind, Endpoint);
            throw;
        }
        finally
        {
            var tags = new TagList { { "grains.postgres.operation", kind }, { "grains.postgres.outcome", outcome } };
            PostgresDiagnostics.Operations.Add(1, tags);
            PostgresDiagnostics.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception) when (!cancellationToken.IsCancellationRequested)
        {
            PostgresLog.ConnectFailed(_logger, exception, Endpoint);
            throw new NpgsqlException($"Could not open a connection to PostgreSQL at {Endpoint}: {exception.Message}", exception);
        }
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql) =>
        new(sql, connection) { CommandTimeout = _migrationTimeoutSeconds };

    private static string Describe(NpgsqlConnectionStringBuilder settings) =>
        string.Create(CultureInfo.InvariantCulture, $"{settings.Host ?? "(default host)"}:{settings.Port}/{settings.Database ?? "(default database)"} as {settings.Username ?? "(default user)"}");
}
