namespace Grains.Sqlite;

/// <summary>SQLite's <c>PRAGMA synchronous</c> setting for the write connection (in WAL journal mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>No fsync: a power loss or OS crash can corrupt or lose committed data.</summary>
    Off = 0,

    /// <summary>fsync at WAL checkpoints only: durable across a process crash, not across a power loss.</summary>
    Normal = 1,

    /// <summary>fsync the WAL at every commit: an acknowledged write survives a power loss (the default).</summary>
    Full = 2,

    /// <summary>Like <see cref="Full"/>, plus an fsync of the directory after the WAL is created or reset.</summary>
    Extra = 3,
}
