using System.Runtime.CompilerServices;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// Migrates the monitoring (and item) tables of one <see cref="PostgresDatabase"/> once, however many
/// stores share it; a failed run (the server was not up yet, say) is retried by the next caller.
/// </summary>
internal sealed class PostgresSchemaGate
{
    private static readonly ConditionalWeakTable<PostgresDatabase, PostgresSchemaGate> Gates = new();

    private readonly PostgresDatabase _database;
    private readonly Lock _lock = new();
    private Task? _monitoring;
    private Task? _items;

    private PostgresSchemaGate(PostgresDatabase database) => _database = database;

    public static PostgresSchemaGate For(PostgresDatabase database) => Gates.GetValue(database, static d => new PostgresSchemaGate(d));

    /// <summary>Completes when the monitoring tables are at the newest version.</summary>
    public Task MonitoringAsync(CancellationToken cancellationToken) =>
        Ensure(ref _monitoring, () => _database.MigrateAsync(MonitoringPostgresSchema.Component, MonitoringPostgresSchema.Migrations, CancellationToken.None), cancellationToken);

    /// <summary>Completes when the item tables (and the monitoring tables whose events they join) are at the newest version.</summary>
    public Task ItemsAsync(CancellationToken cancellationToken) =>
        Ensure(ref _items, async () =>
        {
            await MonitoringAsync(CancellationToken.None).ConfigureAwait(false);
            await _database.MigrateAsync(MonitoringPostgresSchema.ItemsComponent, MonitoringPostgresSchema.ItemMigrations, CancellationToken.None).ConfigureAwait(false);
        }, cancellationToken);

    private Task Ensure(ref Task? slot, Func<Task> migrate, CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref slot);
        if (ready is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        Task running;
        lock (_lock)
        {
            if (slot is null || slot.IsFaulted || slot.IsCanceled)
            {
                // Not tied to the first caller's token: the others wait for the same run.
                slot = migrate();
            }

            running = slot;
        }

        return running.WaitAsync(cancellationToken);
    }
}
