using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Tests.Releases;

/// <summary>
/// The per-silo release upsert filter: which releases a batch may leave out, and that leaving them out keeps
/// first seen and the release order exact while last seen lags by at most the window.
/// </summary>
public sealed class ReleaseWriteFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Wall = new(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);

    // The row written at wall time 0 in every case: first seen T0, last seen T0 + 10 s.
    private static readonly ReleaseSeen WrittenRow = new(1, "web@1.0.0", "production", T0, T0.AddSeconds(10));

    public static TheoryData<string, double, ReleaseSeen, bool> Cases => new()
    {
        // case, wall seconds after the write, the batch's release, whether the batch must write it
        { "the same values", 0, WrittenRow, false },
        { "later events inside the last-seen slack", 5, WrittenRow with { FirstSeen = T0.AddSeconds(5), LastSeen = T0.AddSeconds(70) }, false },
        { "last seen just past the slack", 5, WrittenRow with { FirstSeen = T0.AddSeconds(5), LastSeen = T0.AddSeconds(70.001) }, true },
        { "an older event (last seen earlier than written)", 5, WrittenRow with { FirstSeen = T0.AddSeconds(1), LastSeen = T0.AddSeconds(2) }, false },
        { "first seen one microsecond earlier", 5, WrittenRow with { FirstSeen = T0.AddTicks(-10) }, true },
        { "first seen earlier, last seen inside", 5, WrittenRow with { FirstSeen = T0.AddSeconds(-30), LastSeen = T0.AddSeconds(20) }, true },
        { "the write just inside the window", 59.999, WrittenRow with { FirstSeen = T0.AddSeconds(5) }, false },
        { "the write exactly a window ago (expired)", 60, WrittenRow with { FirstSeen = T0.AddSeconds(5) }, true },
        { "the write long ago (expired)", 3600, WrittenRow, true },
        { "another environment", 0, WrittenRow with { Environment = "staging" }, true },
        { "all environments together ('')", 0, WrittenRow with { Environment = "" }, true },
        { "another project", 0, WrittenRow with { ProjectId = 2 }, true },
        { "another version", 0, WrittenRow with { Version = "web@1.0.1" }, true },
        { "the version in another case (ordinal)", 0, WrittenRow with { Version = "WEB@1.0.0" }, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_batch_writes_a_release_unless_a_recent_write_of_this_silo_covers_it(string @case, double wallSeconds, ReleaseSeen release, bool writes)
    {
        var clock = new ManualClock(Wall);
        var filter = new ReleaseWriteFilter(new ReleaseWriteFilterOptions(), clock);
        filter.Written([WrittenRow]);
        clock.Now = Wall.AddSeconds(wallSeconds);

        Assert.True(writes == filter.ShouldWrite(release), @case);
        Assert.Equal(writes ? 0 : 1, filter.SkippedCount);
    }

    [Fact]
    public void A_release_never_written_is_written_and_asking_records_nothing()
    {
        var filter = new ReleaseWriteFilter(new ReleaseWriteFilterOptions(), new ManualClock(Wall));

        // Only Written records: a batch whose commit failed never called it, so its retry writes again.
        Assert.True(filter.ShouldWrite(WrittenRow));
        Assert.True(filter.ShouldWrite(WrittenRow));
        Assert.Equal(0, filter.Count);
        Assert.Equal(0, filter.WrittenCount);
    }

    [Fact]
    public void Writes_within_the_window_widen_the_entry()
    {
        var clock = new ManualClock(Wall);
        var filter = new ReleaseWriteFilter(new ReleaseWriteFilterOptions(), clock);
        filter.Written([WrittenRow]);
        clock.Now = Wall.AddSeconds(10);
        filter.Written([WrittenRow with { FirstSeen = T0.AddSeconds(-5), LastSeen = T0.AddSeconds(-5) }]);

        // The row holds min and max of both writes: first seen T0 - 5 s, last seen T0 + 10 s.
        Assert.False(filter.ShouldWrite(WrittenRow with { FirstSeen = T0.AddSeconds(-5), LastSeen = T0.AddSeconds(70) }));
        Assert.True(filter.ShouldWrite(WrittenRow with { FirstSeen = T0.AddSeconds(-6) }));
        Assert.True(filter.ShouldWrite(WrittenRow with { LastSeen = T0.AddSeconds(71) }));
        Assert.Equal(1, filter.Count);
        Assert.Equal(2, filter.WrittenCount);

        // The second write restarted the wall window.
        clock.Now = Wall.AddSeconds(65);
        Assert.False(filter.ShouldWrite(WrittenRow));
        clock.Now = Wall.AddSeconds(70);
        Assert.True(filter.ShouldWrite(WrittenRow));
    }

    [Fact]
    public void An_expired_entry_is_replaced_not_widened_and_expired_entries_are_dropped()
    {
        var clock = new ManualClock(Wall);
        var filter = new ReleaseWriteFilter(new ReleaseWriteFilterOptions(), clock);
        filter.Written([WrittenRow, WrittenRow with { Version = "web@2.0.0" }]);
        clock.Now = Wall.AddSeconds(61);
        filter.Written([WrittenRow with { FirstSeen = T0.AddSeconds(200), LastSeen = T0.AddSeconds(200) }]);

        Assert.Equal(1, filter.Count); // web@2.0.0 expired and was dropped
        Assert.True(filter.ShouldWrite(WrittenRow with { FirstSeen = T0.AddSeconds(150), LastSeen = T0.AddSeconds(200) }));
        Assert.False(filter.ShouldWrite(WrittenRow with { FirstSeen = T0.AddSeconds(200), LastSeen = T0.AddSeconds(250) }));
    }

    [Fact]
    public void At_capacity_the_row_written_longest_ago_is_forgotten()
    {
        var clock = new ManualClock(Wall);
        var filter = new ReleaseWriteFilter(new ReleaseWriteFilterOptions { Capacity = ReleaseWriteFilterOptions.MinCapacity }, clock);
        for (var i = 0; i <= ReleaseWriteFilterOptions.MinCapacity; i++)
        {
            clock.Now = Wall.AddMilliseconds(i);
            filter.Written([WrittenRow with { Version = $"web@1.0.{i}" }]);
        }

        Assert.Equal(ReleaseWriteFilterOptions.MinCapacity, filter.Count);
        Assert.True(filter.ShouldWrite(WrittenRow with { Version = "web@1.0.0" }));
        Assert.False(filter.ShouldWrite(WrittenRow with { Version = "web@1.0.1" }));
        Assert.False(filter.ShouldWrite(WrittenRow with { Version = $"web@1.0.{ReleaseWriteFilterOptions.MinCapacity}" }));

        // Rewriting an entry moves it to the back: the next one to go is web@1.0.2.
        filter.Written([WrittenRow with { Version = "web@1.0.1" }]);
        filter.Written([WrittenRow with { Version = "web@9.0.0" }]);
        Assert.Equal(ReleaseWriteFilterOptions.MinCapacity, filter.Count);
        Assert.False(filter.ShouldWrite(WrittenRow with { Version = "web@1.0.1" }));
        Assert.True(filter.ShouldWrite(WrittenRow with { Version = "web@1.0.2" }));
    }

    [Fact]
    public void Disabled_it_writes_every_release_and_still_counts_the_writes()
    {
        var filter = new ReleaseWriteFilter(new ReleaseWriteFilterOptions { Enabled = false }, new ManualClock(Wall));
        filter.Written([WrittenRow]);

        Assert.True(filter.ShouldWrite(WrittenRow));
        Assert.Equal(0, filter.Count);
        Assert.Equal(1, filter.WrittenCount);
        Assert.Equal(0, filter.SkippedCount);
    }

    /// <summary>
    /// Batches of several releases with out-of-order event times go through the filter into a store that keeps
    /// min/max like the upserts; the rows must have exactly the first seen of writing every batch, last seen at
    /// most one window behind, and the release order (what resolutions and alert filters judge by) must be the same.
    /// </summary>
    [Fact]
    public void Filtered_writes_keep_first_seen_and_the_release_order_exact_and_last_seen_within_the_window()
    {
        var random = new Random(1234);
        var clock = new ManualClock(Wall);
        var filter = new ReleaseWriteFilter(new ReleaseWriteFilterOptions(), clock);
        var exact = new Dictionary<(string, string), (DateTimeOffset First, DateTimeOffset Last)>();
        var filtered = new Dictionary<(string, string), (DateTimeOffset First, DateTimeOffset Last)>();
        string[] versions = ["web@1.0.0", "web@1.1.0", "web@2.0.0-rc.1", "web@2.0.0", "abc123"];
        string[] environments = ["", "production", "staging"];
        var written = 0;
        var offered = 0;
        for (var batch = 0; batch < 5_000; batch++)
        {
            clock.Now = Wall.AddMilliseconds(batch * 100);
            var eventNow = T0.AddMilliseconds(batch * 100);
            var releases = new List<ReleaseSeen>();
            foreach (var version in versions.Take(1 + (batch / 1000))) // a new release every 1,000 batches
            {
                foreach (var environment in environments)
                {
                    if (random.Next(3) == 0)
                    {
                        continue;
                    }

                    // Mostly current events; one in twenty an old one (SDKs send late, offline clients, retries).
                    var first = eventNow.AddSeconds(random.Next(20) == 0 ? -random.Next(600) : -random.Next(5));
                    var last = first.AddSeconds(random.Next(3));
                    releases.Add(new ReleaseSeen(7, version, environment, first, last));
                }
            }

            offered += releases.Count;
            foreach (var release in releases)
            {
                Apply(exact, release);
            }

            var write = releases.Where(filter.ShouldWrite).ToList();
            foreach (var release in write)
            {
                Apply(filtered, release);
            }

            written += write.Count;
            filter.Written(write);
        }

        Assert.Equal(exact.Keys.Order(), filtered.Keys.Order());
        foreach (var (key, (first, last)) in exact)
        {
            Assert.Equal(first, filtered[key].First);
            Assert.InRange(filtered[key].Last, last - ReleaseWriteFilterOptions.DefaultWindow, last);
        }

        var exactOrder = Order(exact);
        var filteredOrder = Order(filtered);
        Assert.Equal(exactOrder.Latest, filteredOrder.Latest);
        Assert.Equal(exactOrder.Greatest, filteredOrder.Greatest);
        Assert.Equal(exactOrder.FollowsSemver, filteredOrder.FollowsSemver);
        foreach (var left in versions.Append("web@3.0.0"))
        {
            foreach (var right in versions.Append("web@3.0.0"))
            {
                Assert.Equal(Math.Sign(exactOrder.Compare(left, right)), Math.Sign(filteredOrder.Compare(left, right)));
            }
        }

        // The point of it: a small fraction of the upserts (the old events and one per row and minute).
        Assert.True(written * 5 < offered, $"{written} of {offered} release upserts written");
        Assert.Equal(written, filter.WrittenCount);
        Assert.Equal(offered - written, filter.SkippedCount);
    }

    private static void Apply(Dictionary<(string, string), (DateTimeOffset First, DateTimeOffset Last)> rows, ReleaseSeen release)
    {
        var key = (release.Version, release.Environment);
        rows[key] = rows.TryGetValue(key, out var row)
            ? (release.FirstSeen < row.First ? release.FirstSeen : row.First, release.LastSeen > row.Last ? release.LastSeen : row.Last)
            : (release.FirstSeen, release.LastSeen);
    }

    private static ReleaseOrder Order(Dictionary<(string, string), (DateTimeOffset First, DateTimeOffset Last)> rows) =>
        new(rows.Where(r => r.Key.Item2.Length == 0).Select(r => new ProjectRelease(r.Key.Item1, r.Value.First, r.Value.Last)).ToList());

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
