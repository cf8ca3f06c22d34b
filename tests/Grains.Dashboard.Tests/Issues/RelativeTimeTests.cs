using Grains.Server.Dashboard.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Dashboard.Tests.Issues;

public sealed class RelativeTimeTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 17, 31, 1, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(9, "just now")]
    [InlineData(-9, "just now")]
    [InlineData(10, "10 sec ago")]
    [InlineData(59, "59 sec ago")]
    [InlineData(60, "1 min ago")]
    [InlineData(119, "1 min ago")]
    [InlineData(3599, "59 min ago")]
    [InlineData(3600, "1 hr ago")]
    [InlineData(86399, "23 hr ago")]
    [InlineData(86400, "1 day ago")]
    [InlineData(2 * 86400, "2 days ago")]
    [InlineData(29 * 86400, "29 days ago")]
    [InlineData(30 * 86400, "1 month ago")]
    [InlineData(364 * 86400, "12 months ago")]
    [InlineData(365 * 86400, "1 year ago")]
    [InlineData(800 * 86400, "2 years ago")]
    [InlineData(-120, "in 2 min")]
    [InlineData(-7200, "in 2 hr")]
    public void Relative_text_uses_the_largest_whole_unit(long secondsAgo, string expected) =>
        Assert.Equal(expected, RelativeTimeText.Relative(Now.AddSeconds(-secondsAgo), Now));

    [Fact]
    public void Absolute_text_is_utc_whatever_the_offset()
    {
        var local = new DateTimeOffset(2026, 12, 4, 19, 31, 1, TimeSpan.FromHours(2));
        Assert.Equal("2026-12-04 17:31:01 UTC", RelativeTimeText.Absolute(local));
        Assert.Equal("2026-12-04T17:31:01.000Z", RelativeTimeText.Machine(local));
    }

    [Fact]
    public void Renders_a_time_element_with_the_absolute_time_as_title()
    {
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));

        var rendered = Render<RelativeTime>(p => p.Add(c => c.Value, Now.AddMinutes(-3)));

        var time = rendered.Find("time");
        Assert.Equal("3 min ago", time.TextContent);
        Assert.Equal("2026-12-04 17:28:01 UTC", time.GetAttribute("title"));
        Assert.Equal("2026-12-04T17:28:01.000Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public void A_given_now_wins_over_the_clock()
    {
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));

        var rendered = Render<RelativeTime>(p => p.Add(c => c.Value, Now.AddHours(-5)).Add(c => c.Now, Now.AddHours(-4)));

        Assert.Equal("1 hr ago", rendered.Find("time").TextContent);
    }
}
