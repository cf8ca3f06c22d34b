using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary><see cref="IRuleStore"/> in the <c>alert_rules</c> table of a shared <see cref="PostgresDatabase"/>.</summary>
public sealed class PostgresRuleStore : RelationalRuleStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresRuleStore(PostgresDatabase database)
        : base(PostgresStoreCommands.Monitoring(database))
    {
    }
}
