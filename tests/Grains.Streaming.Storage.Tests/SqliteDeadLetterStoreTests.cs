using Grains.Sqlite;
using Grains.Streaming.Sqlite;

namespace Grains.Streaming.Storage.Tests;

/// <summary>The dead-letter contract on <see cref="SqliteDeadLetterStore"/>.</summary>
public sealed class SqliteDeadLetterStoreTests : DeadLetterStoreContract
{
    private readonly TempFile _file = new();
    private SqliteDatabase? _database;
    private SqliteDeadLetterStore? _store;

    protected override Task<IDurableLogDeadLetterStore> CreateStoreAsync()
    {
        _database = new SqliteDatabase(new SqliteStorageOptions { DataSource = _file.Path });
        _store = new SqliteDeadLetterStore(_database);
        return Task.FromResult<IDurableLogDeadLetterStore>(_store);
    }

    protected override Task<IReadOnlyList<DurableLogDeadLetter>> ReadAsync(string provider, long afterId, int maxCount) =>
        _store!.ReadAsync(provider, afterId, maxCount);

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _file.Dispose();
    }
}
