using Grains.Runtime.Persistence;
using Grains.Runtime.Postgres;

namespace Grains.Runtime.Providers.Tests.Postgres;

public sealed class PostgresGrainStorageTests : DurableGrainStorageContractTests
{
    private PostgresTestStore _store = null!;

    protected override async Task<IGrainStorage> CreateStorageAsync()
    {
        _store = await PostgresTestStore.CreateAsync();
        return new PostgresGrainStorage(_store.Open());
    }

    protected override async Task<IGrainStorage> ReopenStorageAsync() => new PostgresGrainStorage(await _store.ReopenAsync());

    protected override Task DisposeStorageAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Of_two_silos_creating_the_same_record_at_once_exactly_one_succeeds()
    {
        var other = new PostgresGrainStorage(_store.OpenAnother());
        for (var round = 0; round < 20; round++)
        {
            var grain = TestData.NewGrain();
            var writers = new[] { (Storage, "a"), (other, "b") };

            var outcomes = await Task.WhenAll(writers.Select(w => Task.Run(async () =>
            {
                try
                {
                    return (Value: w.Item2, ETag: await w.Item1.WriteAsync(StateName, grain, TestData.Bytes(w.Item2), null), Error: (InconsistentStateException?)null);
                }
                catch (InconsistentStateException error)
                {
                    return (Value: w.Item2, ETag: (string?)null, Error: error);
                }
            })));

            var winner = Assert.Single(outcomes, o => o.Error is null);
            var loser = Assert.Single(outcomes, o => o.Error is not null);
            Assert.Null(loser.Error!.ExpectedETag);
            Assert.Equal(winner.ETag, loser.Error.StoredETag);
            var record = await other.ReadAsync(StateName, grain);
            Assert.Equal(winner.Value, TestData.Text(record!.Payload));
        }
    }

    [Fact]
    public async Task A_write_from_another_silo_fences_the_stale_one()
    {
        var other = new PostgresGrainStorage(_store.OpenAnother());
        var grain = TestData.NewGrain();
        var first = await Storage.WriteAsync(StateName, grain, TestData.Bytes("old activation"), null);
        var second = await other.WriteAsync(StateName, grain, TestData.Bytes("new activation"), first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(StateName, grain, TestData.Bytes("stale"), first));

        Assert.Equal(second, error.StoredETag);
        Assert.Equal("new activation", TestData.Text((await Storage.ReadAsync(StateName, grain))!.Payload));
    }
}
