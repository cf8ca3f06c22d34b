using Grains.Runtime.Sqlite;
using Grains.Runtime.Streams;
using Grains.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

public sealed class SqliteStreamLogTests : DurableStreamLogContractTests
{
    private readonly SqliteTestStore _store = new();

    protected override Task<IStreamLog> CreateLogAsync() => Task.FromResult<IStreamLog>(new SqliteStreamLog(_store.Open()));

    protected override async Task<IStreamLog> ReopenLogAsync() => new SqliteStreamLog(await _store.ReopenAsync());

    protected override Task DisposeLogAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Setting_a_checkpoint_trims_the_records_at_or_below_it_by_default()
    {
        await Log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2"), Record(0, "k", "3")]);
        var records = await Log.ReadAsync(0, 0, 10);

        await Log.SetCheckpointAsync(0, records[1].Offset);

        Assert.Equal(["3"], (await Log.ReadAsync(0, 0, 10)).Select(r => TestData.Text(r.Payload)));
    }

    [Fact]
    public async Task Trimming_can_be_turned_off()
    {
        await using var store = new SqliteTestStore(o => o.TrimStreamOnCheckpoint = false);
        var log = new SqliteStreamLog(store.Open());
        await log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2")]);
        var records = await log.ReadAsync(0, 0, 10);

        await log.SetCheckpointAsync(0, records[1].Offset);

        Assert.Equal(2, (await log.ReadAsync(0, 0, 10)).Count);
    }
}
