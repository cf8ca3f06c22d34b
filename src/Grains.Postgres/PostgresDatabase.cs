using System.Diagnostics;
using System.Globalization;
using Grains.Postgres.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Grains.Postgres;

/// <summary>
/// One PostgreSQL database shared by the components that keep their own tables in it (the durable
/// stream log, its dead letters, the monitoring stores). It owns a pooled
/// <see cref="NpgsqlDataSource"/>; each component versions its own schema through
/// <see cref="MigrateAsync"/> (<see cref="PostgresSchemaMigrator"/>: one run at a time across silos).
/// </summary>
/// <remarks>
/// Nothing connects in the constructor: a malformed connection string fails it, an unreachable
/// server fails the first operation with an <see cref="NpgsqlException"/> that names the endpoint
/// (never the password). Orleans' own ADO.NET providers (clustering, grain state, reminders) open
/// their own connections from <c>OrleansPostgresOptions</c>; this pool is Grains' alone.
/// </remarks>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _sessionConnectionString;
    private readonly PostgresSchemaMigrator _migrator;
    private int _disposed;

    /// <summary>Creates the database's connection pool (it does not connect yet).</summary>
    /// <param name="options">The connection string and options.</param>
    /// <param name="loggerFactory">For the components' and Npgsql's logs; none when <c>null</c>.</param>
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

        // Prepared statements and no DISCARD ALL per checkout, unless the string says otherwise (see the class).
        PostgresConnectionDefaults.Apply(settings, options.ConnectionString);

        Endpoint = Describe(settings);
        _sessionConnectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false }.ConnectionString;
        MaxAppendBatch = options.MaxAppendBatch;
        TrimStreamOnCheckpoint = options.TrimStreamOnCheckpoint;
        _logger = loggerFactory?.CreateLogger<PostgresDatabase>() ?? (ILogger)NullLogger.Instance;
        _migrator = new PostgresSchemaMigrator(settings.ConnectionString, options.MigrationTimeout, loggerFactory?.CreateLogger<PostgresSchemaMigrator>());
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
    public int MaxAppendBatch { get; }

    /// <summary>See <see cref="PostgresStorageOptions.TrimStreamOnCheckpoint"/>.</summary>
    public bool TrimStreamOnCheckpoint { get; }

    /// <summary>
    /// Creates (does not open) a dedicated connection outside the pool, with the full credentials of
    /// the options, for a session that must live as long as what it holds: session advisory locks,
    /// <c>LISTEN</c>. The caller opens and disposes it.
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
    /// Brings a component's tables to the newest of <paramref name="migrations"/> through
    /// <see cref="PostgresSchemaMigrator"/>: once, in order, in one transaction under its advisory
    /// lock, so silos starting at once migrate one after the other. Safe to call repeatedly.
    /// </summary>
    /// <param name="component">The component's name (e.g. <c>monitoring</c>).</param>
    /// <param name="migrations">The component's migrations in version order; append new ones, never edit an applied one.</param>
    /// <param name="cancellationToken">Cancels the run (nothing of it is kept).</param>
    /// <returns>How many migrations this call applied.</returns>
    /// <exception cref="InvalidOperationException">The database has a newer schema for the component than <paramref name="migrations"/> know.</exception>
    /// <exception cref="NpgsqlException">The server is unreachable or a script failed (nothing of the run is kept).</exception>
    public Task<int> MigrateAsync(string component, IReadOnlyList<PostgresMigration> migrations, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _migrator.MigrateAsync(component, migrations, cancellationToken);
    }

    /// <summary>
    /// Runs one operation on a pooled connection with its span, duration and outcome metrics, and a
    /// log entry when it fails for another reason than the caller's cancellation.
    /// </summary>
    /// <param name="kind">A short name for spans, logs and metrics (e.g. <c>log.append</c>).</param>
    /// <param name="state">Passed to <paramref name="execute"/> (lets a static lambda avoid a closure).</param>
    /// <param name="execute">The statements.</param>
    /// <param name="cancellationToken">Cancels the operation; a cancelled token fails it before anything runs.</param>
    public async Task<T> ExecuteAsync<TState, T>(
        string kind, TState state, Func<NpgsqlConnection, TState, CancellationToken, Task<T>> execute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(execute);
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        using var activity = PostgresDiagnostics.StartActivity("grains.postgres." + kind);
        var outcome = "error";
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var result = await execute(connection, state, cancellationToken).ConfigureAwait(false);
            outcome = "ok";
            return result;
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

    /// <summary>Closes the pool; later operations fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            PostgresLog.Closed(_logger, Endpoint);
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

    private static string Describe(NpgsqlConnectionStringBuilder settings) =>
        string.Create(CultureInfo.InvariantCulture, $"{settings.Host ?? "(default host)"}:{settings.Port}/{settings.Database ?? "(default database)"} as {settings.Username ?? "(default user)"}");
}
