using Grains.Runtime.Hosting;
using Grains.Runtime.Sqlite;
using Grains.Runtime.Tests.Grains;
using Grains.Runtime.Tests.Support;
using Grains.Sqlite;

namespace Grains.Runtime.Tests;

public sealed class TimerAndReminderTests
{
    [Fact]
    public async Task Timer_ticks_are_turns_that_never_overlap_even_when_slower_than_the_period()
    {
        await using var host = await TestSilo.StartAsync();
        var grain = host.GrainFactory.GetGrain<ITickingGrain>(TestSilo.NewKey());
        await grain.StartSlowTimer(periodMs: 5, tickMs: 30);
        await TestSilo.WaitUntilAsync(async () => (await grain.Stats()).Ticks >= 5, TimeSpan.FromSeconds(10), "five ticks");
        await grain.Stop();
        Assert.Equal(1, (await grain.Stats()).MaxOverlap);
    }

    [Fact]
    public async Task Reminder_fires_after_a_crash_and_restart_on_the_same_sqlite_file()
    {
        var database = TestSilo.TempDatabase();
        var key = TestSilo.NewKey();
        void Options(Configuration.GrainsOptions options) => options.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);

        var first = await TestSilo.StartAsync(Options, services => services.AddGrainsSqlite(o => o.DataSource = database));
        await first.GrainFactory.GetGrain<IReminderGrain>(key).Register("wake", dueMs: 1500, periodMs: 300);
        await first.DisposeAsync(); // no graceful stop: a crash
        Assert.Equal(0, ReminderGrain.Ticks.GetValueOrDefault(key));

        await using var second = await TestSilo.StartAsync(Options, services => services.AddGrainsSqlite(o => o.DataSource = database));
        await TestSilo.WaitUntilAsync(() => ReminderGrain.Ticks.GetValueOrDefault(key) >= 2, TimeSpan.FromSeconds(10), "reminder ticks after restart");
    }

    [Fact]
    public async Task Reminder_period_below_the_minimum_is_rejected()
    {
        await using var host = await TestSilo.StartAsync();
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.GrainFactory.GetGrain<IReminderGrain>(TestSilo.NewKey()).Register("r", 0, 10));
        Assert.Contains("MinimumReminderPeriod", error.Message);
    }
}
