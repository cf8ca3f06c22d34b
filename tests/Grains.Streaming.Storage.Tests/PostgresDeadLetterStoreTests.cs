using Grains.Postgres;
using Grains.Streaming.Postgres;
using Grains.Testing;

namespace Grains.Streaming.Storage.Tests;

/// <summary>The dead-letter contract on <see cref="PostgresDeadLetterStore"/>.</summary>
public sealed class PostgresDeadLetterStoreTests : DeadLetterStoreContract
{
    private PostgresDatabase? _database;
    private PostgresDeadLetterStore? _store;

    protected override async Task<IDurableLogDeadLetterStore> CreateStoreAsync()
    {
        _database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = await PostgresTestServer.CreateDatabaseAsync("dl") });
        _store = new PostgresDeadLetterStore(_database);
        return _store;
    }

    protected override Task<IReadOnlyList<DurableLogDeadLetter>> ReadAsync(string provider, long afterId, int maxCount) =>
        _store!.ReadAsync(provider, afterId, maxCount);

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
