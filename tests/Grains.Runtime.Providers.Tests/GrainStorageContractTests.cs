using Grains.Runtime.Persistence;

namespace Grains.Runtime.Providers.Tests;

/// <summary>
/// The contract of <see cref="IGrainStorage"/>, run against every provider by a subclass that
/// supplies a fresh, empty store.
/// </summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    protected const string StateName = "state";

    /// <summary>The provider under test.</summary>
    protected IGrainStorage Storage { get; set; } = null!;

    public async Task InitializeAsync() => Storage = await CreateStorageAsync();

    public Task DisposeAsync() => DisposeStorageAsync();

    /// <summary>Creates the provider over a new, empty store.</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    /// <summary>Releases what <see cref="CreateStorageAsync"/> created.</summary>
    protected virtual Task DisposeStorageAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reading_a_missing_record_returns_null()
    {
        Assert.Null(await Storage.ReadAsync(StateName, TestData.NewGrain()));
    }

    [Fact]
    public async Task A_written_record_reads_back_with_its_etag()
    {
        var grain = TestData.NewGrain();

        var etag = await Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), expectedETag: null);

        var record = await Storage.ReadAsync(StateName, grain);
        Assert.NotNull(record);
        Assert.Equal("one", TestData.Text(record.Payload));
        Assert.Equal(etag, record.ETag);
    }

    [Fact]
    public async Task Each_write_returns_a_new_etag_that_the_next_write_presents()
    {
        var grain = TestData.NewGrain();
        var etags = new List<string>();
        string? etag = null;
        for (var i = 0; i < 5; i++)
        {
            etag = await Storage.WriteAsync(StateName, grain, TestData.Bytes($"v{i}"), etag);
            etags.Add(etag);
        }

        Assert.Equal(etags.Count, etags.Distinct().Count());
        var record = await Storage.ReadAsync(StateName, grain);
        Assert.Equal("v4", TestData.Text(record!.Payload));
        Assert.Equal(etags[^1], record.ETag);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_fails_and_leaves_the_record_unchanged()
    {
        var grain = TestData.NewGrain();
        var first = await Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), null);
        var second = await Storage.WriteAsync(StateName, grain, TestData.Bytes("two"), first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(StateName, grain, TestData.Bytes("stale"), first));

        Assert.Equal(StateName, error.StateName);
        Assert.Equal(grain, error.GrainId);
        Assert.Equal(first, error.ExpectedETag);
        Assert.Equal(second, error.StoredETag);
        var record = await Storage.ReadAsync(StateName, grain);
        Assert.Equal("two", TestData.Text(record!.Payload));
        Assert.Equal(second, record.ETag);
    }

    [Fact]
    public async Task Creating_a_record_that_exists_fails()
    {
        var grain = TestData.NewGrain();
        var etag = await Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), null);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(StateName, grain, TestData.Bytes("again"), null));

        Assert.Null(error.ExpectedETag);
        Assert.Equal(etag, error.StoredETag);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("not-an-etag")]
    public async Task A_write_with_an_etag_when_no_record_exists_fails(string etag)
    {
        var grain = TestData.NewGrain();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), etag));

        Assert.Equal(etag, error.ExpectedETag);
        Assert.Null(error.StoredETag);
        Assert.Null(await Storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task Of_two_concurrent_writers_with_the_same_etag_exactly_one_succeeds()
    {
        for (var round = 0; round < 20; round++)
        {
            var grain = TestData.NewGrain();
            var etag = await Storage.WriteAsync(StateName, grain, TestData.Bytes("start"), null);

            var outcomes = await Task.WhenAll(new[] { "a", "b" }.Select(value => Task.Run(async () =>
            {
                try
                {
                    return (Value: value, ETag: await Storage.WriteAsync(StateName, grain, TestData.Bytes(value), etag), Error: (InconsistentStateException?)null);
                }
                catch (InconsistentStateException error)
                {
                    return (Value: value, ETag: (string?)null, Error: error);
                }
            })));

            var winner = Assert.Single(outcomes, o => o.Error is null);
            var loser = Assert.Single(outcomes, o => o.Error is not null);
            Assert.Equal(etag, loser.Error!.ExpectedETag);
            Assert.Equal(winner.ETag, loser.Error.StoredETag);
            var record = await Storage.ReadAsync(StateName, grain);
            Assert.Equal(winner.ETag, record!.ETag);
            Assert.Equal(winner.Value, TestData.Text(record.Payload));
        }
    }

    [Fact]
    public async Task Conflicting_writes_do_not_affect_concurrent_writes_of_other_grains()
    {
        var grains = Enumerable.Range(0, 50).Select(_ => TestData.NewGrain()).ToArray();
        var etags = await Task.WhenAll(grains.Select(g => Storage.WriteAsync(StateName, g, TestData.Bytes("v1"), null)));

        // Every grain gets one valid write and one stale one, all in flight together.
        var valid = grains.Select((g, i) => Task.Run(() => Storage.WriteAsync(StateName, g, TestData.Bytes("v2"), etags[i]))).ToArray();
        var stale = grains.Select(g => Task.Run(() => Storage.WriteAsync(StateName, g, TestData.Bytes("stale"), "999999"))).ToArray();
        var newETags = await Task.WhenAll(valid);
        foreach (var write in stale)
        {
            await Assert.ThrowsAsync<InconsistentStateException>(() => write);
        }

        for (var i = 0; i < grains.Length; i++)
        {
            var record = await Storage.ReadAsync(StateName, grains[i]);
            Assert.Equal("v2", TestData.Text(record!.Payload));
            Assert.Equal(newETags[i], record.ETag);
        }
    }

    [Fact]
    public async Task Clearing_with_the_current_etag_removes_the_record()
    {
        var grain = TestData.NewGrain();
        var etag = await Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), null);

        await Storage.ClearAsync(StateName, grain, etag);

        Assert.Null(await Storage.ReadAsync(StateName, grain));
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_fails_and_keeps_the_record()
    {
        var grain = TestData.NewGrain();
        var first = await Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), null);
        var second = await Storage.WriteAsync(StateName, grain, TestData.Bytes("two"), first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(StateName, grain, first));

        Assert.Equal(first, error.ExpectedETag);
        Assert.Equal(second, error.StoredETag);
        Assert.Equal("two", TestData.Text((await Storage.ReadAsync(StateName, grain))!.Payload));
    }

    [Fact]
    public async Task Clearing_without_an_etag_succeeds_only_when_no_record_exists()
    {
        var missing = TestData.NewGrain();
        await Storage.ClearAsync(StateName, missing, null);
        Assert.Null(await Storage.ReadAsync(StateName, missing));

        var existing = TestData.NewGrain();
        var etag = await Storage.WriteAsync(StateName, existing, TestData.Bytes("one"), null);
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(StateName, existing, null));
        Assert.Equal(etag, error.StoredETag);
        Assert.NotNull(await Storage.ReadAsync(StateName, existing));
    }

    [Fact]
    public async Task Clearing_with_an_etag_when_no_record_exists_fails()
    {
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(StateName, TestData.NewGrain(), "1"));

        Assert.Null(error.StoredETag);
    }

    [Fact]
    public async Task After_a_clear_the_record_is_created_again_and_old_etags_never_match()
    {
        var grain = TestData.NewGrain();
        var beforeClear = await Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), null);
        await Storage.ClearAsync(StateName, grain, beforeClear);

        var afterClear = await Storage.WriteAsync(StateName, grain, TestData.Bytes("two"), null);

        Assert.NotEqual(beforeClear, afterClear);
        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(StateName, grain, TestData.Bytes("stale"), beforeClear));
        Assert.Equal(afterClear, error.StoredETag);
        var record = await Storage.ReadAsync(StateName, grain);
        Assert.Equal("two", TestData.Text(record!.Payload));
        Assert.Equal(afterClear, record.ETag);
    }

    [Fact]
    public async Task The_payload_is_copied_on_write()
    {
        var grain = TestData.NewGrain();
        var buffer = TestData.Bytes("original");

        await Storage.WriteAsync(StateName, grain, buffer, null);
        TestData.Bytes("reused!!").CopyTo(buffer, 0);

        Assert.Equal("original", TestData.Text((await Storage.ReadAsync(StateName, grain))!.Payload));
    }

    [Fact]
    public async Task An_empty_payload_is_a_record_not_a_missing_one()
    {
        var grain = TestData.NewGrain();

        var etag = await Storage.WriteAsync(StateName, grain, ReadOnlyMemory<byte>.Empty, null);

        var record = await Storage.ReadAsync(StateName, grain);
        Assert.NotNull(record);
        Assert.Equal(0, record.Payload.Length);
        Assert.Equal(etag, record.ETag);
    }

    [Fact]
    public async Task Records_are_addressed_by_state_name_and_full_grain_id()
    {
        var key = Guid.NewGuid().ToString("N");
        var grain = new GrainId("alpha", key);
        var sameKeyOtherType = new GrainId("beta", key);
        await Storage.WriteAsync("one", grain, TestData.Bytes("alpha-one"), null);
        await Storage.WriteAsync("two", grain, TestData.Bytes("alpha-two"), null);
        await Storage.WriteAsync("one", sameKeyOtherType, TestData.Bytes("beta-one"), null);

        Assert.Equal("alpha-one", TestData.Text((await Storage.ReadAsync("one", grain))!.Payload));
        Assert.Equal("alpha-two", TestData.Text((await Storage.ReadAsync("two", grain))!.Payload));
        Assert.Equal("beta-one", TestData.Text((await Storage.ReadAsync("one", sameKeyOtherType))!.Payload));
        Assert.Null(await Storage.ReadAsync("two", sameKeyOtherType));
    }

    [Fact]
    public async Task A_write_with_a_cancelled_token_is_not_applied()
    {
        var grain = TestData.NewGrain();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Storage.WriteAsync(StateName, grain, TestData.Bytes("one"), null, cancellation.Token));

        Assert.Null(await Storage.ReadAsync(StateName, grain));
    }
}
