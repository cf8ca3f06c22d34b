using Grains.Runtime.Persistence;
using Grains.Runtime.Sqlite;
using Grains.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

public sealed class SqliteGrainStorageTests : DurableGrainStorageContractTests
{
    private readonly SqliteTestStore _store = new();

    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new SqliteGrainStorage(_store.Open()));

    protected override async Task<IGrainStorage> ReopenStorageAsync() => new SqliteGrainStorage(await _store.ReopenAsync());

    protected override Task DisposeStorageAsync() => _store.DisposeAsync().AsTask();
}
