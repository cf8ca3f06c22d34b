namespace Grains.Sqlite;

/// <summary>Options of the SQLite storage providers (one database file shared by grain state, stream log and reminders).</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>The default <see cref="DataSource"/>: <c>data/grains.db</c>, relative to the working directory.</summary>
    public const string DefaultDataSource = "data/grains.db";

    /// <summary>The default <see cref="Synchronous"/> mode: <see cref="SqliteSynchronousMode.Full"/>.</summary>
    public const SqliteSynchronousMode DefaultSynchronous = SqliteSynchronousMode.Full;

    /// <summary>The default <see cref="MaxOperationsPerTransaction"/>: 1,000.</summary>
    public const int DefaultMaxOperationsPerTransaction = 1_000;

    /// <summary>The default <see cref="MaxIdleReadConnections"/>: 8.</summary>
    public const int DefaultMaxIdleReadConnections = 8;

    /// <summary>The default <see cref="TrimStreamOnCheckpoint"/>: <c>true</c>.</summary>
    public const bool DefaultTrimStreamOnCheckpoint = true;

    /// <summary>The default <see cref="BusyTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The path of the database file; missing directories are created. It must be a file (not
    /// <c>:memory:</c>) because readers use their own connections. Default <see cref="DefaultDataSource"/>.
    /// </summary>
    public string DataSource { get; set; } = DefaultDataSource;

    /// <summary>The durability of a commit. Default <see cref="DefaultSynchronous"/> (fsync on every commit).</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = DefaultSynchronous;

    /// <summary>
    /// How long a connection waits for a lock held by another process before failing. Within one
    /// process there is a single writer, so this matters only when something else opens the file.
    /// Default <see cref="DefaultBusyTimeout"/>.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>
    /// The most queued write operations committed in one transaction (group commit). Larger groups
    /// mean fewer fsyncs under load; smaller ones bound the latency of the first operation of a group.
    /// Default <see cref="DefaultMaxOperationsPerTransaction"/>.
    /// </summary>
    public int MaxOperationsPerTransaction { get; set; } = DefaultMaxOperationsPerTransaction;

    /// <summary>
    /// How many idle read connections are kept open for reuse; more concurrent reads open extra
    /// connections that are closed afterwards. Default <see cref="DefaultMaxIdleReadConnections"/>.
    /// </summary>
    public int MaxIdleReadConnections { get; set; } = DefaultMaxIdleReadConnections;

    /// <summary>
    /// Whether setting a stream checkpoint deletes the partition's records at or below it, which keeps
    /// the file from growing without bound. Default <see cref="DefaultTrimStreamOnCheckpoint"/>.
    /// </summary>
    public bool TrimStreamOnCheckpoint { get; set; } = DefaultTrimStreamOnCheckpoint;
}
