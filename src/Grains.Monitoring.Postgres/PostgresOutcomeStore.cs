using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary><see cref="IOutcomeStore"/> in a shared <see cref="PostgresDatabase"/>: a batch is one transaction.</summary>
public sealed class PostgresOutcomeStore : RelationalOutcomeStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresOutcomeStore(PostgresDatabase database, TimeProvider? time = null)
        : base(PostgresStoreCommands.Monitoring(database), time)
    {
    }
}
