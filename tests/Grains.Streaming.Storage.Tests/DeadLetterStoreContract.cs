using System.Text;
using Orleans.Runtime;

namespace Grains.Streaming.Storage.Tests;

/// <summary>What every SQL dead-letter store must do, run on SQLite and PostgreSQL: one readable row per item, once.</summary>
public abstract class DeadLetterStoreContract : IAsyncLifetime
{
    private const string Provider = "ingest";
    private static readonly DateTimeOffset FailedAt = new(2026, 12, 3, 20, 45, 10, 123, TimeSpan.Zero);
    private static readonly Guid Subscription = Guid.Parse("6f1c3a52-0d8e-4b7e-9a51-2c1f0e7d4b10");

    protected IDurableLogDeadLetterStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IDurableLogDeadLetterStore> CreateStoreAsync();

    protected abstract Task<IReadOnlyList<DurableLogDeadLetter>> ReadAsync(string provider, long afterId, int maxCount);

    private static DurableLogDeliveryFailure Failure(string key, long[] offsets, string? error, bool withItems = true, int partition = 3) =>
        new(Provider, partition, StreamId.Create("ingest", key), Subscription, offsets[0],
            withItems ? new DurableLogBatchContainer(StreamId.Create("ingest", key), partition, offsets, [.. offsets.Select(o => Encoding.UTF8.GetBytes($"{key}@{o}"))]) : null,
            FailedAt, error);

    [Fact]
    public async Task A_failure_is_stored_as_one_row_per_item_with_its_error_and_read_back_in_order()
    {
        Assert.True(await Store.SetAsideAsync(Failure("poison", [41, 44, 47], "System.InvalidDataException: cannot apply")));
        Assert.True(await Store.SetAsideAsync(Failure("other", [50], error: null)));

        var rows = await ReadAsync(Provider, 0, 10);

        Assert.Equal([41L, 44, 47, 50], rows.Select(r => r.Offset));
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.Id < p.Second.Id), "ids ascend");
        var first = rows[0];
        Assert.Equal(Provider, first.ProviderName);
        Assert.Equal(3, first.Partition);
        Assert.Equal(StreamId.Create("ingest", "poison"), first.Stream);
        Assert.Equal(Subscription, first.SubscriptionId);
        Assert.Equal("poison@41", Encoding.UTF8.GetString(first.Payload!));
        Assert.Equal("System.InvalidDataException: cannot apply", first.Error);
        Assert.Equal(FailedAt, first.FailedAt);
        Assert.Null(rows[3].Error);
        Assert.Empty(await ReadAsync("another-provider", 0, 10));
    }

    [Fact]
    public async Task A_failure_without_its_items_keeps_one_row_at_its_offset_without_payload()
    {
        Assert.True(await Store.SetAsideAsync(Failure("gone", [12], "retries exhausted", withItems: false)));

        var row = Assert.Single(await ReadAsync(Provider, 0, 10));
        Assert.Equal(12, row.Offset);
        Assert.Null(row.Payload);
    }

    [Fact]
    public async Task An_item_set_aside_again_keeps_its_first_row()
    {
        Assert.True(await Store.SetAsideAsync(Failure("poison", [7, 8], "first")));
        Assert.True(await Store.SetAsideAsync(Failure("poison", [8, 9], "second")));

        var rows = await ReadAsync(Provider, 0, 10);

        Assert.Equal([7L, 8, 9], rows.Select(r => r.Offset));
        Assert.Equal(["first", "first", "second"], rows.Select(r => r.Error));
    }

    [Fact]
    public async Task Reading_pages_by_id()
    {
        Assert.True(await Store.SetAsideAsync(Failure("k", [1, 2, 3, 4, 5], "e")));

        var first = await ReadAsync(Provider, 0, 2);
        var rest = await ReadAsync(Provider, first[^1].Id, 10);

        Assert.Equal([1L, 2], first.Select(r => r.Offset));
        Assert.Equal([3L, 4, 5], rest.Select(r => r.Offset));
    }

    public static TheoryData<string> MalformedCases => [.. Malformed.Keys];

    private static readonly Dictionary<string, (Type Expected, Func<IDurableLogDeadLetterStore, Task> Call)> Malformed = new()
    {
        ["a null failure"] = (typeof(ArgumentNullException), store => store.SetAsideAsync(null!)),
        ["an empty provider name"] = (typeof(ArgumentException), store => store.SetAsideAsync(Failure("k", [1], "e") with { ProviderName = "" })),
        ["a negative partition"] = (typeof(ArgumentOutOfRangeException), store => store.SetAsideAsync(Failure("k", [1], "e", partition: -1))),
        ["a stream without key"] = (typeof(ArgumentException), store => store.SetAsideAsync(Failure("k", [1], "e") with { Stream = default, Container = null })),
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task Malformed_failures_are_refused_and_store_nothing(string name)
    {
        var (expected, call) = Malformed[name];

        var exception = await Record.ExceptionAsync(() => call(Store));

        Assert.NotNull(exception);
        Assert.IsAssignableFrom(expected, exception);
        Assert.Empty(await ReadAsync(Provider, 0, 10));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Reading_a_count_below_one_is_refused(int maxCount)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReadAsync(Provider, 0, maxCount));
    }
}
