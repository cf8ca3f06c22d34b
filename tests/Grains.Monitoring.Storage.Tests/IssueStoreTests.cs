using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests;

public abstract class IssueStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    [Fact]
    public async Task Save_round_trips_the_record()
    {
        var issue = Issues.Record(1, change: r => r with
        {
            Logger = "root",
            MetadataJson = "{\"type\":\"TypeError\"}",
            Substatus = null,
            FirstRelease = "1.0",
            LastRelease = "1.1",
            ErrorType = "TypeError",
            ErrorValue = "x is undefined",
        });
        await Db.Issues.SaveAsync(Issues.Snapshot(issue));

        Assert.Equal(issue, await Db.Issues.GetAsync(1));
        Assert.Equal("1:hash1", await Db.Issues.GetGrainKeyAsync(1));
        Assert.Null(await Db.Issues.GetAsync(2));
        Assert.Null(await Db.Issues.GetGrainKeyAsync(2));
    }

    [Fact]
    public async Task Saving_the_same_snapshot_twice_changes_nothing()
    {
        var snapshot = Issues.Snapshot(Issues.Record(1), Issues.Tag("environment", "prod", 3), Issues.Tag("environment", "dev", 1)) with
        {
            HourlyCounts = [new(Issues.Now.ToUnixTimeSeconds() / 3600 * 3600, 4)],
        };
        await Db.Issues.SaveAsync(snapshot);
        var before = await Dump();

        await Db.Issues.SaveAsync(snapshot);

        Assert.Equal(before, await Dump());
        var tags = await Db.Issues.GetTagsAsync(1, 10);
        Assert.Equal(4, Assert.Single(tags).TotalValues);
    }

    [Fact]
    public async Task Later_snapshots_overwrite_the_summary_and_add_their_deltas()
    {
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1), Issues.Tag("level", "error", 1)));
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1, change: r => r with { TimesSeen = 9, Status = "resolved" }), Issues.Tag("level", "error", 8)));

        var issue = await Db.Issues.GetAsync(1);
        Assert.Equal(9, issue!.TimesSeen);
        Assert.Equal("resolved", issue.Status);
        Assert.Equal(9, Assert.Single(Assert.Single(await Db.Issues.GetTagsAsync(1, 5)).TopValues).Count);
    }

    [Fact]
    public async Task Deltas_of_an_offset_already_applied_are_ignored_but_the_summary_is_written()
    {
        var first = Issues.Snapshot(Issues.Record(1), Issues.Tag("level", "error", 2));
        await Db.Issues.SaveAsync(first);
        var redelivered = Issues.Snapshot(Issues.Record(1, change: r => r with { Title = "retitled" }), Issues.Tag("level", "error", 2)) with { StreamOffset = first.StreamOffset };
        await Db.Issues.SaveAsync(redelivered);

        Assert.Equal("retitled", (await Db.Issues.GetAsync(1))!.Title);
        Assert.Equal(2, Assert.Single(Assert.Single(await Db.Issues.GetTagsAsync(1, 5)).TopValues).Count);
    }

    [Fact]
    public async Task The_first_issue_to_link_a_hash_keeps_it()
    {
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1)) with { Hashes = [("aaa", "c1"), ("shared", "c1")] });
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(2)) with { Hashes = [("bbb", "c2"), ("shared", "c2")] });

        Assert.Equal(1, await Db.Issues.FindByHashAsync(1, "shared"));
        Assert.Equal(2, await Db.Issues.FindByHashAsync(1, "bbb"));
        Assert.Null(await Db.Issues.FindByHashAsync(2, "shared"));
        Assert.Equal([("aaa", "c1"), ("shared", "c1")], await Db.Issues.GetHashesAsync(1));
        Assert.Equal([("bbb", "c2")], await Db.Issues.GetHashesAsync(2));
    }

    [Fact]
    public async Task Tags_give_top_values_by_count_then_value()
    {
        await Db.Issues.SaveAsync(Issues.Snapshot(
            Issues.Record(1),
            Issues.Tag("browser", "Chrome", 5),
            Issues.Tag("browser", "Firefox", 5),
            Issues.Tag("browser", "Safari", 7),
            Issues.Tag("browser", "Edge", 1),
            Issues.Tag("os", "Linux", 2)));

        var tags = await Db.Issues.GetTagsAsync(1, 3);

        Assert.Equal(["browser", "os"], tags.Select(t => t.Key));
        Assert.Equal(["Safari", "Chrome", "Firefox"], tags[0].TopValues.Select(v => v.Value));
        Assert.Equal((18L, 4L), (tags[0].TotalValues, tags[0].UniqueValues));
        Assert.Equal(Issues.Tag("os", "Linux", 2), Assert.Single(tags[1].TopValues));
    }

    [Fact]
    public async Task Tag_values_page_with_a_cursor()
    {
        var values = Enumerable.Range(0, 25).Select(i => Issues.Tag("user", $"id:{i:D2}", i % 4)).ToArray();
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1), values));

        var seen = new List<IssueTagValue>();
        string? cursor = null;
        do
        {
            var (page, next) = await Db.Issues.GetTagValuesAsync(1, "user", 10, cursor);
            seen.AddRange(page);
            cursor = next;
        }
        while (cursor is not null);

        Assert.Equal(values.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal), seen);
        Assert.Empty((await Db.Issues.GetTagValuesAsync(1, "other", 10, null)).Values);
    }

    [Fact]
    public async Task Stats_give_hourly_and_daily_buckets_ending_now()
    {
        var hour = Issues.Now.ToUnixTimeSeconds() / 3600 * 3600;
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1)) with
        {
            HourlyCounts =
            [
                new(hour, 5),                 // current hour
                new(hour - 3600, 2),          // previous hour
                new(hour - (23 * 3600), 1),   // first of the 24
                new(hour - (24 * 3600), 100), // outside 24h, inside 14d
                new(hour - (20 * 86400), 1000), // outside both
            ],
        });

        var stats = await Db.Issues.GetStatsAsync([1, 2], "24h", Issues.Now);

        var day = stats[1];
        Assert.Equal(24, day.Count);
        Assert.Equal(hour - (23 * 3600), day[0].Start);
        Assert.Equal(hour, day[^1].Start);
        Assert.Equal((1L, 2L, 5L), (day[0].Count, day[^2].Count, day[^1].Count));
        Assert.Equal(8, day.Sum(b => b.Count));
        Assert.All(stats[2], b => Assert.Equal(0, b.Count));

        var fortnight = (await Db.Issues.GetStatsAsync([1], "14d", Issues.Now))[1];
        var today = Issues.Now.ToUnixTimeSeconds() / 86400 * 86400;
        Assert.Equal(14, fortnight.Count);
        Assert.Equal(today, fortnight[^1].Start);
        Assert.Equal(today - (13 * 86400), fortnight[0].Start);
        Assert.Equal(108, fortnight.Sum(b => b.Count));
        Assert.Throws<ArgumentException>(() => { _ = Db.Issues.GetStatsAsync([1], "7y", Issues.Now); });
    }

    // The stats of many issues are read in chunks of 500 ids (SQLite's parameter list; PostgreSQL an array
    // each), all in one read: every id gets its buckets, whichever chunk it is in.
    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    [InlineData(501)]
    [InlineData(1201)]
    public async Task Stats_of_many_issues_cover_every_chunk(int count)
    {
        var hour = Issues.Now.ToUnixTimeSeconds() / 3600 * 3600;
        long[] counted = [1, 500, 501, 1201];
        foreach (var id in counted.Where(id => id <= count))
        {
            await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(id)) with { HourlyCounts = [new(hour, id)] });
        }

        var stats = await Db.Issues.GetStatsAsync([.. Enumerable.Range(1, count).Select(i => (long)i)], "24h", Issues.Now);

        Assert.Equal(count, stats.Count);
        Assert.All(stats, pair => Assert.Equal(counted.Contains(pair.Key) ? pair.Key : 0, pair.Value.Sum(b => b.Count)));
    }

    [Fact]
    public async Task Tag_totals_are_64_bit_on_every_backend()
    {
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1), Issues.Tag("level", "error", 3_000_000_000), Issues.Tag("level", "info", 3_000_000_000)));

        var level = Assert.Single(await Db.Issues.GetTagsAsync(1, 1));

        Assert.Equal((6_000_000_000L, 2L), (level.TotalValues, level.UniqueValues));
        Assert.Equal("error", Assert.Single(level.TopValues).Value);
    }

    [Fact]
    public async Task Delete_removes_everything_of_the_issue()
    {
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1), Issues.Tag("level", "error")) with { HourlyCounts = [new(0, 1)] });
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(2), Issues.Tag("level", "error")));

        await Db.Issues.DeleteAsync(1);

        Assert.Null(await Db.Issues.GetAsync(1));
        Assert.Null(await Db.Issues.FindByHashAsync(1, "hash1"));
        Assert.Empty(await Db.Issues.GetTagsAsync(1, 5));
        Assert.NotNull(await Db.Issues.GetAsync(2));
        Assert.Equal(2, await Db.Issues.FindByHashAsync(1, "hash2"));
    }

    private async Task<string> Dump()
    {
        var lines = new List<string>();
        foreach (var table in new[] { "issues", "issue_hashes", "issue_tags", "issue_hourly" })
        {
            foreach (var row in await Db.QueryAsync($"SELECT * FROM {table} ORDER BY 1, 2, 3"))
            {
                lines.Add(table + ":" + string.Join('|', row));
            }
        }

        return string.Join('\n', lines);
    }
}

public sealed class SqliteIssueStoreTests : IssueStoreTests<SqliteBackend>;

public sealed class PostgresIssueStoreTests : IssueStoreTests<PostgresBackend>;
