using Grains.Monitoring.Alerts.Evaluation;

namespace Grains.Monitoring.Tests.Alerts;

public sealed class IssueAlertsTests
{
    [Fact]
    public void The_firing_id_is_the_first_32_hex_of_sha256_of_key_offset_and_rule()
    {
        Assert.Equal("ae7087ed21108ce67a39c1cfa1047b37", IssueAlerts.FiringId("abc-issue", 42, 7));
        Assert.NotEqual(IssueAlerts.FiringId("abc-issue", 42, 7), IssueAlerts.FiringId("abc-issue", 43, 7));
        Assert.NotEqual(IssueAlerts.FiringId("abc-issue", 42, 7), IssueAlerts.FiringId("abc-issue", 42, 8));
    }

    [Fact]
    public void Environments_are_new_once_and_bounded()
    {
        var seen = new HashSet<string>();

        Assert.True(IssueAlerts.NoteEnvironment(seen, "production"));
        Assert.False(IssueAlerts.NoteEnvironment(seen, "production"));
        Assert.False(IssueAlerts.NoteEnvironment(seen, null));
        Assert.False(IssueAlerts.NoteEnvironment(seen, ""));
        for (var i = seen.Count; i < IssueAlerts.MaxEnvironments; i++)
        {
            Assert.True(IssueAlerts.NoteEnvironment(seen, "env" + i));
        }

        Assert.False(IssueAlerts.NoteEnvironment(seen, "one too many"));
        Assert.Equal(IssueAlerts.MaxEnvironments, seen.Count);
    }

    [Fact]
    public void Throttle_times_older_than_the_longest_frequency_are_dropped()
    {
        var now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var lastFired = new Dictionary<long, DateTimeOffset> { [1] = now.AddDays(-31), [2] = now.AddDays(-29) };

        IssueAlerts.NoteFired(lastFired, 3, now);

        Assert.Equal([2L, 3L], lastFired.Keys.Order());
        Assert.Equal(now, lastFired[3]);
    }
}

public sealed class LatestReleaseTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    // stored releases (in first-seen order), the event's release, the latest as of the event
    [InlineData(new string[0], "1.0.0", "1.0.0")]
    [InlineData(new string[0], null, null)]
    [InlineData(new[] { "1.0.0", "2.0.0" }, "2.0.0", "2.0.0")]
    [InlineData(new[] { "1.0.0", "2.0.0" }, "1.0.0", "2.0.0")]
    [InlineData(new[] { "1.0.0", "2.0.0" }, "3.0.0", "3.0.0")]
    [InlineData(new[] { "1.0.0", "2.0.0" }, "1.5.0", "2.0.0")]
    [InlineData(new[] { "2.0.0", "1.0.0" }, "1.0.0", "2.0.0")]
    [InlineData(new[] { "abc", "def" }, "abc", "def")]
    [InlineData(new[] { "abc", "def" }, "ghi", "ghi")]
    [InlineData(new[] { "abc", "def" }, null, "def")]
    public void The_latest_release_as_of_an_event(string[] stored, string? eventRelease, string? expected)
    {
        var order = new Grains.Monitoring.Releases.ReleaseOrder([.. stored.Select((v, i) => new Grains.Monitoring.Releases.ProjectRelease(v, T0.AddDays(i), T0.AddDays(i)))]);

        Assert.Equal(expected, Grains.Monitoring.Alerts.Rules.ILatestReleaseProvider.LatestAsOf(order, eventRelease));
    }
}
