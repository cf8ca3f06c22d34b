namespace Grains.Sqlite;

/// <summary>
/// The checks <see cref="SqliteDatabase"/> applies to its options when it opens, available to
/// providers' configuration validators so a bad value fails a host's start with a clear message.
/// </summary>
public static class SqliteStorageOptionsChecks
{
    /// <summary>Returns what is wrong with <paramref name="options"/>, or <c>null</c> when they are valid.</summary>
    public static string? Find(SqliteStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DataSource))
        {
            return $"{nameof(SqliteStorageOptions.DataSource)} is empty.";
        }

        if (options.DataSource.Trim() == ":memory:")
        {
            return $"{nameof(SqliteStorageOptions.DataSource)} must be a file, not :memory: (readers use their own connections).";
        }

        if (options.MaxOperationsPerTransaction <= 0)
        {
            return $"{nameof(SqliteStorageOptions.MaxOperationsPerTransaction)} must be positive (got {options.MaxOperationsPerTransaction}).";
        }

        if (options.MaxIdleReadConnections < 0)
        {
            return $"{nameof(SqliteStorageOptions.MaxIdleReadConnections)} must not be negative (got {options.MaxIdleReadConnections}).";
        }

        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            return $"{nameof(SqliteStorageOptions.BusyTimeout)} must be between zero and int.MaxValue milliseconds (got {options.BusyTimeout}).";
        }

        return Enum.IsDefined(options.Synchronous) ? null : $"{nameof(SqliteStorageOptions.Synchronous)} is not a known mode ({options.Synchronous}).";
    }
}
