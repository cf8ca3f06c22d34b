using Orleans;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>Durability through a silo restart on the same file: grain state and reminders.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Persistent_state_survives_a_silo_restart_on_the_same_file()
    {
        using var file = new TempFile();
        await using (var first = await SqliteCluster.StartAsync(file.Path))
        {
            var grain = first.Client.GetGrain<ICounterGrain>("survivor");
            await grain.Increment();
            await grain.Increment();
            Assert.Equal(3, await grain.Increment());
        }

        await using var second = await SqliteCluster.StartAsync(file.Path);
        var again = second.Client.GetGrain<ICounterGrain>("survivor");

        Assert.Equal(3, (await again.Get()).Value);
        Assert.Equal(4, await again.Increment());
    }

    [Fact]
    public async Task A_reminder_registered_before_a_restart_fires_after_it()
    {
        using var file = new TempFile();
        await using (var first = await SqliteCluster.StartAsync(file.Path))
        {
            // Due well after the first silo is gone, so only the second silo can fire it.
            await first.Client.GetGrain<ICounterGrain>("reminded").StartTicking(TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(1));
            Assert.Equal(0, (await first.Client.GetGrain<ICounterGrain>("reminded").Get()).Ticks);
        }

        await using var second = await SqliteCluster.StartAsync(file.Path);
        var grain = second.Client.GetGrain<ICounterGrain>("reminded");

        // Nothing registers the reminder again: a tick can only come from the table in the file.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var ticks = 0;
        while (DateTime.UtcNow < deadline && (ticks = (await grain.Get()).Ticks) == 0)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, ticks);
    }
}
