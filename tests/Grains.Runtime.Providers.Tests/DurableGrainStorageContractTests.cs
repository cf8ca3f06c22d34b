namespace Grains.Runtime.Providers.Tests;

/// <summary>The <see cref="GrainStorageContractTests"/> plus what a durable provider must keep across a restart.</summary>
public abstract class DurableGrainStorageContractTests : GrainStorageContractTests
{
    /// <summary>Closes the current provider and opens a new one over the same store.</summary>
    protected abstract Task<Persistence.IGrainStorage> ReopenStorageAsync();

    [Fact]
    public async Task Records_and_etags_survive_a_reopen()
    {
        var kept = TestData.NewGrain();
        var cleared = TestData.NewGrain();
        var keptETag = await Storage.WriteAsync(StateName, kept, TestData.Bytes("kept"), null);
        var clearedETag = await Storage.WriteAsync(StateName, cleared, TestData.Bytes("cleared"), null);
        await Storage.ClearAsync(StateName, cleared, clearedETag);

        Storage = await ReopenStorageAsync();

        var record = await Storage.ReadAsync(StateName, kept);
        Assert.Equal("kept", TestData.Text(record!.Payload));
        Assert.Equal(keptETag, record.ETag);
        Assert.Null(await Storage.ReadAsync(StateName, cleared));
        var next = await Storage.WriteAsync(StateName, kept, TestData.Bytes("next"), keptETag);
        Assert.NotEqual(keptETag, next);
        Assert.NotEqual(clearedETag, await Storage.WriteAsync(StateName, cleared, TestData.Bytes("again"), null));
    }
}
