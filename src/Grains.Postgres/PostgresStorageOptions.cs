namespace Grains.Postgres;

/// <summary>
/// Options of the shared <see cref="PostgresDatabase"/> (one database shared by the stream log,
/// the dead-letter table and the components that keep their own tables in it, such as the monitoring stores).
/// </summary>
public sealed class PostgresStorageOptions
{
    /// <summary>The default <see cref="MaxAppendBatch"/>: 1,000 records.</summary>
    public const int DefaultMaxAppendBatch = 1_000;

    /// <summary>The default <see cref="TrimStreamOnCheckpoint"/>: <c>true</c>.</summary>
    public const bool DefaultTrimStreamOnCheckpoint = true;

    /// <summary>The default <see cref="MigrationTimeout"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultMigrationTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The Npgsql connection string (<c>Host=...;Port=...;Username=...;Password=...;Database=...</c>).
    /// Pooling, timeouts and TLS are set here with Npgsql's own keywords. Required; empty by default.
    /// Unless the string sets them, Grains adds <c>Max Auto Prepare=64;Auto Prepare Min Usages=2;No Reset On Close=true</c>
    /// (<see cref="PostgresConnectionDefaults"/>: prepared statements, no <c>DISCARD ALL</c> per pool checkout).
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The most stream records one SQL statement inserts. A larger append is split into several
    /// statements that still run in one transaction (an append is atomic whatever its size).
    /// Default <see cref="DefaultMaxAppendBatch"/>.
    /// </summary>
    public int MaxAppendBatch { get; set; } = DefaultMaxAppendBatch;

    /// <summary>
    /// Whether setting a stream checkpoint deletes the partition's records at or below it (in the
    /// same transaction), which keeps the log from growing without bound. Default
    /// <see cref="DefaultTrimStreamOnCheckpoint"/>.
    /// </summary>
    public bool TrimStreamOnCheckpoint { get; set; } = DefaultTrimStreamOnCheckpoint;

    /// <summary>
    /// How long one migration run may take, waiting for another silo's migration included (it is the
    /// command timeout of the lock and of each script). Default <see cref="DefaultMigrationTimeout"/>.
    /// </summary>
    public TimeSpan MigrationTimeout { get; set; } = DefaultMigrationTimeout;
}
