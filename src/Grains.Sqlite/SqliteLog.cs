using Microsoft.Extensions.Logging;

namespace Grains.Sqlite;

/// <summary>The log messages of the SQLite providers (source-generated so disabled levels cost nothing).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(1, LogLevel.Information, "Opened SQLite database {DataSource} (schema version {SchemaVersion}, journal mode {JournalMode}, synchronous {Synchronous})")]
    public static partial void Opened(ILogger logger, string dataSource, int schemaVersion, string journalMode, SqliteSynchronousMode synchronous);

    [LoggerMessage(2, LogLevel.Information, "Applied SQLite schema migration {Version}: {Description}")]
    public static partial void MigrationApplied(ILogger logger, int version, string description);

    [LoggerMessage(3, LogLevel.Trace, "Committed {Operations} write operations in {ElapsedMilliseconds} ms")]
    public static partial void Committed(ILogger logger, int operations, double elapsedMilliseconds);

    [LoggerMessage(4, LogLevel.Error, "SQLite write operation {Kind} failed; the other operations of its transaction are unaffected")]
    public static partial void OperationFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(5, LogLevel.Error, "SQLite transaction of {Operations} write operations failed; all of them were failed")]
    public static partial void TransactionFailed(ILogger logger, Exception exception, int operations);

    [LoggerMessage(6, LogLevel.Information, "Closed SQLite database {DataSource}")]
    public static partial void Closed(ILogger logger, string dataSource);

    [LoggerMessage(7, LogLevel.Warning, "Aborted SQLite database {DataSource}: {Dropped} queued write operations were failed without running")]
    public static partial void Aborted(ILogger logger, string dataSource, int dropped);

    [LoggerMessage(8, LogLevel.Critical, "The SQLite writer of {DataSource} stopped unexpectedly; further writes fail")]
    public static partial void WriterCrashed(ILogger logger, Exception exception, string dataSource);

    [LoggerMessage(9, LogLevel.Warning, "Rolling back a failed SQLite transaction failed")]
    public static partial void RollbackFailed(ILogger logger, Exception exception);
}
