using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IItemStore"/> in the <c>project_items</c> table of a shared <see cref="PostgresDatabase"/>,
/// versioned as the <c>items</c> component: one store is one batch (one transaction).
/// </summary>
public sealed class PostgresItemStore : RelationalItemStore
{
    /// <summary>
    /// Creates the store over <paramref name="database"/> (not owned); the item tables, and the
    /// monitoring tables whose <c>events</c> it joins, are created or migrated before its first operation.
    /// </summary>
    public PostgresItemStore(PostgresDatabase database, ItemStoreOptions? options = null)
        : base(PostgresStoreCommands.Items(database), options)
    {
    }
}
