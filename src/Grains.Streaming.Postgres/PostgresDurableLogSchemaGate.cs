using System.Runtime.CompilerServices;
using Grains.Postgres;

namespace Grains.Streaming.Postgres;

/// <summary>
/// Migrates the log's tables of one <see cref="PostgresDatabase"/> once, however many logs and stores
/// share it; a failed run (the server was not up yet, say) is retried by the next caller.
/// </summary>
internal sealed class PostgresDurableLogSchemaGate
{
    private static readonly ConditionalWeakTable<PostgresDatabase, PostgresDurableLogSchemaGate> Gates = new();

    private readonly PostgresDatabase _database;
    private readonly Lock _lock = new();
    private Task? _ready;

    private PostgresDurableLogSchemaGate(PostgresDatabase database) => _database = database;

    public static PostgresDurableLogSchemaGate For(PostgresDatabase database) => Gates.GetValue(database, static d => new PostgresDurableLogSchemaGate(d));

    /// <summary>Completes when the tables are at the newest version.</summary>
    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _ready);
        if (ready is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        Task running;
        lock (_lock)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                // Not tied to the first caller's token: the others wait for the same run.
                _ready = _database.MigrateAsync(PostgresDurableLogSchema.Component, PostgresDurableLogSchema.Migrations, CancellationToken.None);
            }

            running = _ready;
        }

        return running.WaitAsync(cancellationToken);
    }
}
