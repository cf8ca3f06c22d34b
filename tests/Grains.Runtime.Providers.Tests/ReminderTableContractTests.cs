using Grains.Runtime.Reminders;

namespace Grains.Runtime.Providers.Tests;

/// <summary>
/// The contract of <see cref="IReminderTable"/>, run against every provider by a subclass that
/// supplies a fresh, empty table.
/// </summary>
public abstract class ReminderTableContractTests : IAsyncLifetime
{
    /// <summary>The provider under test.</summary>
    protected IReminderTable Table { get; set; } = null!;

    public async Task InitializeAsync() => Table = await CreateTableAsync();

    public Task DisposeAsync() => DisposeTableAsync();

    /// <summary>Creates the provider over a new, empty store.</summary>
    protected abstract Task<IReminderTable> CreateTableAsync();

    /// <summary>Releases what <see cref="CreateTableAsync"/> created.</summary>
    protected virtual Task DisposeTableAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reading_an_empty_partition_returns_nothing()
    {
        Assert.Empty(await Table.ReadPartitionAsync(0));
    }

    [Fact]
    public async Task Upserted_reminders_read_back_by_partition()
    {
        var a = new ReminderEntry(new GrainId("test", "a"), "tick", TestData.Time(), TimeSpan.FromMinutes(1), 1);
        var b = new ReminderEntry(new GrainId("test", "b"), "tock", TestData.Time(5), TimeSpan.FromMilliseconds(1500), 1);
        var other = new ReminderEntry(new GrainId("test", "c"), "tick", TestData.Time(), TimeSpan.FromHours(1), 2);

        await Table.UpsertAsync(b);
        await Table.UpsertAsync(other);
        await Table.UpsertAsync(a);

        Assert.Equal([a, b], await Table.ReadPartitionAsync(1));
        Assert.Equal([other], await Table.ReadPartitionAsync(2));
        Assert.Empty(await Table.ReadPartitionAsync(3));
    }

    [Fact]
    public async Task An_upsert_replaces_the_reminder_of_the_same_grain_and_name()
    {
        var grain = TestData.NewGrain();
        await Table.UpsertAsync(new ReminderEntry(grain, "tick", TestData.Time(), TimeSpan.FromMinutes(1), 4));
        var replacement = new ReminderEntry(grain, "tick", TestData.Time(30), TimeSpan.FromMinutes(5), 4);

        await Table.UpsertAsync(replacement);

        Assert.Equal([replacement], await Table.ReadPartitionAsync(4));
    }

    [Fact]
    public async Task An_upsert_with_another_partition_moves_the_reminder()
    {
        var grain = TestData.NewGrain();
        await Table.UpsertAsync(new ReminderEntry(grain, "tick", TestData.Time(), TimeSpan.FromMinutes(1), 4));
        var moved = new ReminderEntry(grain, "tick", TestData.Time(), TimeSpan.FromMinutes(1), 5);

        await Table.UpsertAsync(moved);

        Assert.Empty(await Table.ReadPartitionAsync(4));
        Assert.Equal([moved], await Table.ReadPartitionAsync(5));
    }

    [Fact]
    public async Task Names_are_unique_per_grain_not_globally()
    {
        var first = new ReminderEntry(new GrainId("test", "a"), "tick", TestData.Time(), TimeSpan.FromMinutes(1), 0);
        var second = new ReminderEntry(new GrainId("test", "b"), "tick", TestData.Time(1), TimeSpan.FromMinutes(2), 0);
        var third = new ReminderEntry(new GrainId("test", "a"), "tock", TestData.Time(2), TimeSpan.FromMinutes(3), 0);

        await Table.UpsertAsync(first);
        await Table.UpsertAsync(second);
        await Table.UpsertAsync(third);

        Assert.Equal([first, third, second], await Table.ReadPartitionAsync(0));
    }

    [Fact]
    public async Task Removing_reports_whether_the_reminder_existed()
    {
        var grain = TestData.NewGrain();
        var kept = new ReminderEntry(grain, "kept", TestData.Time(), TimeSpan.FromMinutes(1), 6);
        await Table.UpsertAsync(new ReminderEntry(grain, "tick", TestData.Time(), TimeSpan.FromMinutes(1), 6));
        await Table.UpsertAsync(kept);

        Assert.True(await Table.RemoveAsync(grain, "tick"));
        Assert.False(await Table.RemoveAsync(grain, "tick"));
        Assert.False(await Table.RemoveAsync(TestData.NewGrain(), "kept"));

        Assert.Equal([kept], await Table.ReadPartitionAsync(6));
    }
}
