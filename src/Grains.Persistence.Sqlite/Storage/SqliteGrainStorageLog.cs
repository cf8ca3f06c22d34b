using Microsoft.Extensions.Logging;

namespace Grains.Persistence.Sqlite;

/// <summary>The log messages of <see cref="SqliteGrainStorage"/> (source-generated).</summary>
internal static partial class SqliteGrainStorageLog
{
    [LoggerMessage(1, LogLevel.Debug, "SQLite grain storage {Provider}: {Operation} of {StateName} for {GrainId} conflicted (expected ETag {ExpectedETag}, stored {StoredETag})")]
    public static partial void Conflict(ILogger logger, string provider, string operation, string stateName, string grainId, string? expectedETag, string? storedETag);

    [LoggerMessage(2, LogLevel.Information, "SQLite grain storage {Provider} ready on {DataSource} (delete on clear: {DeleteStateOnClear})")]
    public static partial void Ready(ILogger logger, string provider, string dataSource, bool deleteStateOnClear);
}
