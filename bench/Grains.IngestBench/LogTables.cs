namespace Grains.IngestBench;

/// <summary>
/// The names of the server's PostgreSQL tables that the cluster bench reads or recognises in
/// pg_stat_statements, in one place: Grains.Streaming.Postgres' log (<c>grains_log</c>,
/// <c>grains_log_heads</c>, <c>grains_log_checkpoints</c>, column <c>log_offset</c>; the old
/// runtime's were <c>grains_stream</c>, <c>grains_stream_heads</c>, <c>grains_checkpoints</c>,
/// <c>stream_offset</c>, in results before issue 9).
/// Membership is Orleans' own table (the official ADO.NET script; unquoted, so lower case).
/// </summary>
public static class LogTables
{
    /// <summary>The log's rows (one per appended event).</summary>
    public const string Log = "grains_log";

    /// <summary>The per-partition offset counters of the log.</summary>
    public const string Heads = "grains_log_heads";

    /// <summary>The per-partition checkpoints of the log.</summary>
    public const string Checkpoints = "grains_log_checkpoints";

    /// <summary>The log's offset column.</summary>
    public const string OffsetColumn = "log_offset";

    /// <summary>Orleans' membership table (one row per silo, <c>status</c> 3 = active).</summary>
    public const string Membership = "orleansmembershiptable";

    /// <summary>Orleans' <c>SiloStatus.Active</c> in <see cref="Membership"/>.</summary>
    public const int ActiveStatus = 3;

    /// <summary>The start of the receivers' poll statement (how pg_stat_statements shows it).</summary>
    public const string PollPrefix = "SELECT " + OffsetColumn + ", stream_namespace";
}
