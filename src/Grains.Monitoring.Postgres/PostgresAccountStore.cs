using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary><see cref="IAccountStore"/> in a shared <see cref="PostgresDatabase"/>.</summary>
public sealed class PostgresAccountStore : RelationalAccountStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresAccountStore(PostgresDatabase database, TimeProvider? time = null)
        : base(PostgresStoreCommands.Monitoring(database), time)
    {
    }
}
