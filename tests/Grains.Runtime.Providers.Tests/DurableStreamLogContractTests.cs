using Grains.Runtime.Streams;

namespace Grains.Runtime.Providers.Tests;

/// <summary>The <see cref="StreamLogContractTests"/> plus what a durable provider must keep across a restart.</summary>
public abstract class DurableStreamLogContractTests : StreamLogContractTests
{
    /// <summary>Closes the current provider and opens a new one over the same store.</summary>
    protected abstract Task<IStreamLog> ReopenLogAsync();

    [Fact]
    public async Task Records_and_checkpoints_survive_a_reopen()
    {
        await Log.AppendAsync([Record(0, "k", "1"), Record(0, "k", "2"), Record(1, "k", "other")]);
        var first = (await Log.ReadAsync(0, 0, 100))[0].Offset;
        await Log.SetCheckpointAsync(0, first);

        Log = await ReopenLogAsync();

        Assert.Equal(first, await Log.GetCheckpointAsync(0));
        Assert.Equal(["2"], (await Log.ReadAsync(0, first, 100)).Select(r => TestData.Text(r.Payload)));
        Assert.Equal(["other"], (await Log.ReadAsync(1, 0, 100)).Select(r => TestData.Text(r.Payload)));
        await Log.AppendAsync([Record(0, "k", "3")]);
        var all = await Log.ReadAsync(0, first, 100);
        Assert.Equal(["2", "3"], all.Select(r => TestData.Text(r.Payload)));
        Assert.True(all[0].Offset < all[1].Offset);
    }
}
