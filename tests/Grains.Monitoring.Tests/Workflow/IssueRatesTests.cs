using Grains.Monitoring.Issues.Workflow;

namespace Grains.Monitoring.Tests.Workflow;

public sealed class IssueRatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_events_and_distinct_users_in_windows()
    {
        var rates = new IssueRates();
        rates.Add(Now.AddMinutes(-90), Now.AddMinutes(-90), "a");
        rates.Add(Now.AddMinutes(-10), Now.AddMinutes(-10), "a");
        rates.Add(Now.AddMinutes(-5), Now.AddMinutes(-5), "b");
        rates.Add(Now.AddMinutes(-1), Now, "b");

        Assert.Equal(3, rates.EventsBetween(Now.AddMinutes(-30), Now.AddSeconds(1)));
        Assert.Equal(2, rates.UsersBetween(Now.AddMinutes(-30), Now.AddSeconds(1)));
        Assert.Equal(4, rates.EventsBetween(Now.AddHours(-2), Now.AddSeconds(1)));
        Assert.Equal(1, rates.EventsBetween(Now.AddMinutes(-6), Now.AddMinutes(-4)));
        Assert.Equal(0, rates.EventsBetween(Now.AddSeconds(1), Now.AddHours(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(59)]
    public void A_window_ending_a_tick_after_the_newest_event_counts_every_event_of_its_second(int secondOfMinute)
    {
        // The frequency conditions ask for the window that ends just after the event being applied.
        var at = Now.AddSeconds(secondOfMinute).AddMilliseconds(400);
        var rates = new IssueRates();
        for (var i = 0; i < 3; i++)
        {
            rates.Add(at, at, null);
        }

        var end = at.AddTicks(1);
        Assert.Equal(3, rates.EventsBetween(end - TimeSpan.FromHours(1), end));
        Assert.Equal(3, rates.EventsBetween(end - TimeSpan.FromMinutes(1), end));
    }

    [Fact]
    public void A_future_timestamp_counts_at_its_received_time()
    {
        var rates = new IssueRates();
        rates.Add(Now.AddDays(3), Now, null);
        Assert.Equal(1, rates.EventsBetween(Now.AddMinutes(-1), Now.AddMinutes(1)));
        Assert.Equal(0, rates.UsersBetween(Now.AddMinutes(-1), Now.AddMinutes(1)));
    }

    [Fact]
    public void Old_hours_are_counted_from_hour_buckets_and_dropped_after_the_retention()
    {
        var rates = new IssueRates();
        rates.Add(Now.AddDays(-20), Now.AddDays(-20), "old");
        rates.Add(Now, Now, "new");
        Assert.Equal(1, rates.EventsBetween(Now.AddDays(-21), Now.AddDays(-19)));
        Assert.Equal(2, rates.EventsBetween(Now.AddDays(-30), Now.AddSeconds(1)));

        rates.Add(Now.AddDays(50), Now.AddDays(50), null);
        Assert.Equal(0, rates.EventsBetween(Now.AddDays(-21), Now.AddDays(-19)));
    }

    [Fact]
    public void State_stays_bounded_with_many_events_and_users()
    {
        var rates = new IssueRates();
        var start = Now.AddDays(-70);

        // One event every 5 minutes for 70 days, a new user each time: 20,160 events, 20,160 users.
        for (var i = 0; i < 70 * 24 * 12; i++)
        {
            var at = start.AddMinutes(5 * i);
            rates.Add(at, at, $"user-{i}");
        }

        Assert.True(rates.Hours.Count <= (int)IssueRates.HourRetention.TotalHours + 1, $"{rates.Hours.Count} hour buckets");
        Assert.True(rates.Minutes.Count <= 120, $"{rates.Minutes.Count} minute buckets");
        Assert.True(rates.UserHashCount <= (120 + ((int)IssueRates.UserSetRetention.TotalHours + 1)) * IssueRates.UsersPerBucket, $"{rates.UserHashCount} user hashes");

        // A burst of distinct users in one minute stays capped per bucket, counted beyond the cap.
        var last = start.AddMinutes(5 * ((70 * 24 * 12) - 1));
        for (var u = 0; u < 5000; u++)
        {
            rates.Add(last, last, $"burst-{u}");
        }

        Assert.True(rates.UserHashCount <= (120 + ((int)IssueRates.UserSetRetention.TotalHours + 1)) * IssueRates.UsersPerBucket);
        Assert.Equal(5001, rates.UsersBetween(last, last.AddMinutes(1)));
        // The oldest hour of a day-long window is partly inside it: counted in proportion (±1 here).
        Assert.InRange(rates.EventsBetween(last.AddDays(-1).AddSeconds(1), last.AddSeconds(1)) - 5000, (12 * 24) - 1, (12 * 24) + 1);
    }

    [Fact]
    public void An_event_count_builds_no_user_set()
    {
        // Event-count rules ask on every event: with many users held, the count must not copy them.
        var rates = new IssueRates();
        for (var u = 0; u < 2000; u++)
        {
            rates.Add(Now.AddSeconds(-u), Now, $"user-{u}");
        }

        Assert.Equal(2000, rates.EventsBetween(Now.AddHours(-1), Now.AddSeconds(1)));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var events = rates.EventsBetween(Now.AddHours(-1), Now.AddSeconds(1));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2000, events);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated by an event count");
        Assert.Equal(2000, rates.UsersBetween(Now.AddHours(-1), Now.AddSeconds(1)));
    }
}
