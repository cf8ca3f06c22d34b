using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IDirectoryStore"/> in a shared <see cref="PostgresDatabase"/>: organizations, projects,
/// DSN keys and hashed API tokens, safe when several silos write at once (statements auto-prepared by
/// their text on pooled connections).
/// </summary>
public sealed class PostgresDirectoryStore : RelationalDirectoryStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned); the monitoring tables are created or migrated before its first operation.</summary>
    /// <param name="database">The shared database.</param>
    /// <param name="time">The clock for creation dates (the system clock when null).</param>
    public PostgresDirectoryStore(PostgresDatabase database, TimeProvider? time = null)
        : base(PostgresStoreCommands.Monitoring(database), time)
    {
    }
}
