using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>
/// The cases a grain storage must pass (after Orleans' grain storage test kit): read missing,
/// write then read, ETag conflicts raise <see cref="InconsistentStateException"/>, clear with and
/// without delete-on-clear, concurrent writes to one grain (one wins per ETag).
/// </summary>
public sealed class GrainStorageTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const string StateName = "counter";

    private static GrainId NewGrain() => GrainId.Create("counter", Guid.NewGuid().ToString("N"));

    private static GrainState<CounterState> Fresh() => new(new CounterState());

    [Fact]
    public async Task Reading_a_missing_state_gives_a_new_state_without_etag()
    {
        var state = new GrainState<CounterState>(new CounterState { Value = 99 });

        await fixture.Storage().ReadStateAsync(StateName, NewGrain(), state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);
    }

    [Fact]
    public async Task A_written_state_reads_back_with_its_etag()
    {
        var storage = fixture.Storage();
        var grain = NewGrain();
        var written = Fresh();
        written.State!.Value = 7;
        written.State!.Note = "seven";

        await storage.WriteStateAsync(StateName, grain, written);
        var read = Fresh();
        await storage.ReadStateAsync(StateName, grain, read);

        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(7, read.State!.Value);
        Assert.Equal("seven", read.State!.Note);
    }

    [Fact]
    public async Task Every_write_changes_the_etag_and_the_next_write_needs_the_new_one()
    {
        var storage = fixture.Storage();
        var grain = NewGrain();
        var state = Fresh();
        await storage.WriteStateAsync(StateName, grain, state);
        var first = state.ETag;

        state.State!.Value = 2;
        await storage.WriteStateAsync(StateName, grain, state);

        Assert.NotEqual(first, state.ETag);
        var stale = Fresh();
        stale.ETag = first;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));
        var read = Fresh();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal(2, read.State!.Value);
    }

    [Fact]
    public async Task Writing_without_etag_over_a_stored_state_conflicts()
    {
        var storage = fixture.Storage();
        var grain = NewGrain();
        await storage.WriteStateAsync(StateName, grain, Fresh());

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, Fresh()));
        Assert.Equal("", ex.CurrentEtag);
        Assert.NotEqual("", ex.StoredEtag);
    }

    [Fact]
    public async Task Writing_with_an_etag_for_a_missing_state_conflicts()
    {
        var state = Fresh();
        state.ETag = "00000000000000ff";

        await Assert.ThrowsAsync<InconsistentStateException>(() => fixture.Storage().WriteStateAsync(StateName, NewGrain(), state));
    }

    [Fact]
    public async Task Malformed_etag_conflicts_instead_of_failing_otherwise()
    {
        var storage = fixture.Storage();
        var grain = NewGrain();
        await storage.WriteStateAsync(StateName, grain, Fresh());
        var state = Fresh();
        state.ETag = "not-an-etag";

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, state));
    }

    [Fact]
    public async Task Clear_keeps_a_row_with_a_new_etag_that_fences_the_old_one()
    {
        var storage = fixture.Storage();
        var grain = NewGrain();
        var state = Fresh();
        state.State!.Value = 5;
        await storage.WriteStateAsync(StateName, grain, state);
        var beforeClear = state.ETag;

        await storage.ClearStateAsync(StateName, grain, state);

        Assert.NotNull(state.ETag);
        Assert.NotEqual(beforeClear, state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);
        var read = Fresh();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal(state.ETag, read.ETag);
        Assert.False(read.RecordExists);
        Assert.Equal(0, read.State!.Value);

        var stale = Fresh();
        stale.ETag = beforeClear;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, Fresh()));

        read.State!.Value = 6;
        await storage.WriteStateAsync(StateName, grain, read);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Clear_with_delete_removes_the_row_and_the_etag()
    {
        var storage = fixture.Storage(SqliteCluster.DeletingProvider);
        var grain = NewGrain();
        var state = Fresh();
        state.State!.Value = 5;
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var read = Fresh();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);

        // As if never written: a write without ETag succeeds again.
        await storage.WriteStateAsync(StateName, grain, Fresh());
    }

    [Theory]
    [InlineData("Default")]
    [InlineData(SqliteCluster.DeletingProvider)]
    public async Task Clear_with_a_stale_etag_conflicts_and_leaves_the_state(string provider)
    {
        var storage = fixture.Storage(provider);
        var grain = NewGrain();
        var state = Fresh();
        state.State!.Value = 3;
        await storage.WriteStateAsync(StateName, grain, state);
        var stale = Fresh();
        stale.ETag = "0000000000000001";

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, Fresh()));

        var read = Fresh();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal(3, read.State!.Value);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Theory]
    [InlineData("Default")]
    [InlineData(SqliteCluster.DeletingProvider)]
    public async Task Clearing_a_missing_state_succeeds(string provider)
    {
        var state = Fresh();

        await fixture.Storage(provider).ClearStateAsync(StateName, NewGrain(), state);

        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task State_names_and_grains_are_separate_rows()
    {
        var storage = fixture.Storage();
        var grain = NewGrain();
        var a = Fresh();
        a.State!.Value = 1;
        var b = Fresh();
        b.State!.Value = 2;

        await storage.WriteStateAsync("a", grain, a);
        await storage.WriteStateAsync("b", grain, b);
        var readA = Fresh();
        var readB = Fresh();
        await storage.ReadStateAsync("a", grain, readA);
        await storage.ReadStateAsync("b", grain, readB);
        var other = Fresh();
        await storage.ReadStateAsync("a", NewGrain(), other);

        Assert.Equal(1, readA.State!.Value);
        Assert.Equal(2, readB.State!.Value);
        Assert.False(other.RecordExists);
    }

    [Fact]
    public async Task Concurrent_writes_with_the_same_etag_let_exactly_one_win()
    {
        var storage = fixture.Storage();
        var grain = NewGrain();
        var initial = Fresh();
        await storage.WriteStateAsync(StateName, grain, initial);

        var writers = Enumerable.Range(1, 20).Select(i =>
        {
            var state = Fresh();
            state.ETag = initial.ETag;
            state.State!.Value = i;
            return (State: state, Task: storage.WriteStateAsync(StateName, grain, state));
        }).ToList();
        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await w.Task;
                return (Won: true, w.State);
            }
            catch (InconsistentStateException)
            {
                return (Won: false, w.State);
            }
        }));

        var winner = Assert.Single(outcomes, o => o.Won);
        var read = Fresh();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal(winner.State.State!.Value, read.State!.Value);
        Assert.Equal(winner.State.ETag, read.ETag);
    }

    [Fact]
    public async Task Concurrent_writes_to_different_grains_all_commit()
    {
        var storage = fixture.Storage();
        var grains = Enumerable.Range(0, 200).Select(_ => NewGrain()).ToArray();

        await Task.WhenAll(grains.Select((g, i) =>
        {
            var state = Fresh();
            state.State!.Value = i;
            return storage.WriteStateAsync(StateName, g, state);
        }));

        for (var i = 0; i < grains.Length; i++)
        {
            var read = Fresh();
            await storage.ReadStateAsync(StateName, grains[i], read);
            Assert.Equal(i, read.State!.Value);
        }
    }

    [Theory]
    [InlineData("Default")]
    [InlineData(SqliteCluster.DeletingProvider)]
    public async Task Clearing_twice_then_writing_works(string provider)
    {
        var storage = fixture.Storage(provider);
        var grain = NewGrain();
        var state = Fresh();
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);
        await storage.ClearStateAsync(StateName, grain, state);
        state.State!.Value = 8;
        await storage.WriteStateAsync(StateName, grain, state);

        var read = Fresh();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(8, read.State!.Value);
    }

    [Fact]
    public async Task Non_ascii_keys_and_values_round_trip()
    {
        var storage = fixture.Storage();
        var grain = GrainId.Create("counter", "счётчик-" + Guid.NewGuid().ToString("N"));
        var state = Fresh();
        state.State!.Note = "привет, 世界";

        await storage.WriteStateAsync("состояние", grain, state);
        var read = Fresh();
        await storage.ReadStateAsync("состояние", grain, read);

        Assert.Equal("привет, 世界", read.State!.Note);
    }
}
