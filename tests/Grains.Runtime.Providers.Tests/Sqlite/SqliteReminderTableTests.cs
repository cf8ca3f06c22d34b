using Grains.Runtime.Reminders;
using Grains.Runtime.Sqlite;
using Grains.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

public sealed class SqliteReminderTableTests : DurableReminderTableContractTests
{
    private readonly SqliteTestStore _store = new();

    protected override Task<IReminderTable> CreateTableAsync() => Task.FromResult<IReminderTable>(new SqliteReminderTable(_store.Open()));

    protected override async Task<IReminderTable> ReopenTableAsync() => new SqliteReminderTable(await _store.ReopenAsync());

    protected override Task DisposeTableAsync() => _store.DisposeAsync().AsTask();
}
