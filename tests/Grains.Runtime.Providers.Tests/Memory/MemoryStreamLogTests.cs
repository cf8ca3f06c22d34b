using Grains.Runtime.Streams;

namespace Grains.Runtime.Providers.Tests.Memory;

public sealed class MemoryStreamLogTests : StreamLogContractTests
{
    protected override Task<IStreamLog> CreateLogAsync() => Task.FromResult<IStreamLog>(new MemoryStreamLog());

    [Fact]
    public async Task Setting_a_checkpoint_drops_the_records_at_or_below_it()
    {
        await Log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2"), Record(0, "k", "3")]);
        var records = await Log.ReadAsync(0, 0, 10);

        await Log.SetCheckpointAsync(0, records[1].Offset);

        Assert.Equal(["3"], (await Log.ReadAsync(0, 0, 10)).Select(r => TestData.Text(r.Payload)));
    }
}
