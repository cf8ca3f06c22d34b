using Grains.Runtime.Reminders;

namespace Grains.Runtime.Providers.Tests;

/// <summary>The <see cref="ReminderTableContractTests"/> plus what a durable provider must keep across a restart.</summary>
public abstract class DurableReminderTableContractTests : ReminderTableContractTests
{
    /// <summary>Closes the current provider and opens a new one over the same store.</summary>
    protected abstract Task<IReminderTable> ReopenTableAsync();

    [Fact]
    public async Task Reminders_survive_a_reopen()
    {
        var kept = new ReminderEntry(new GrainId("test", "kept"), "tick", TestData.Time(), TimeSpan.FromDays(1), 7);
        await Table.UpsertAsync(kept);
        await Table.UpsertAsync(new ReminderEntry(new GrainId("test", "removed"), "tick", TestData.Time(), TimeSpan.FromDays(1), 7));
        await Table.RemoveAsync(new GrainId("test", "removed"), "tick");

        Table = await ReopenTableAsync();

        Assert.Equal([kept], await Table.ReadPartitionAsync(7));
    }
}
