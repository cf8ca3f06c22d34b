using Orleans;
using Orleans.Runtime;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>
/// The reminder table's contract as Orleans' reminder service uses it: upsert (replaces, new ETag),
/// read by grain and by row, ring ranges including the wrapped ones, remove only with the current ETag.
/// </summary>
/// <remarks>The table is shared with the silo's reminder service; each test uses its own grains and filters on them.</remarks>
public sealed class ReminderTableTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly DateTime Start = new(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);

    private static GrainId NewGrain() => GrainId.Create("reminded", Guid.NewGuid().ToString("N"));

    private static ReminderEntry Entry(GrainId grain, string name, int minutes = 1) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = Start,
        Period = TimeSpan.FromMinutes(minutes),
    };

    [Fact]
    public async Task An_upserted_row_reads_back_by_grain_and_by_name()
    {
        var table = fixture.Reminders;
        var grain = NewGrain();

        var etag = await table.UpsertRow(Entry(grain, "a", 2));
        await table.UpsertRow(Entry(grain, "b", 3));
        await table.UpsertRow(Entry(NewGrain(), "a"));

        var rows = (await table.ReadRows(grain)).Reminders.OrderBy(r => r.ReminderName).ToList();
        Assert.Equal(["a", "b"], rows.Select(r => r.ReminderName));
        Assert.All(rows, r => Assert.Equal(grain, r.GrainId));
        Assert.Equal(etag, rows[0].ETag);
        Assert.Equal(Start, rows[0].StartAt);
        Assert.Equal(DateTimeKind.Utc, rows[0].StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(2), rows[0].Period);

        var row = await table.ReadRow(grain, "b");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromMinutes(3), row.Period);
        Assert.Null(await table.ReadRow(grain, "missing"));
    }

    [Fact]
    public async Task Upsert_replaces_the_row_and_its_etag()
    {
        var table = fixture.Reminders;
        var grain = NewGrain();
        var first = await table.UpsertRow(Entry(grain, "r", 1));

        var second = await table.UpsertRow(Entry(grain, "r", 5));

        Assert.NotEqual(first, second);
        var row = Assert.Single((await table.ReadRows(grain)).Reminders);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(second, row.ETag);
    }

    [Fact]
    public async Task Remove_needs_the_current_etag()
    {
        var table = fixture.Reminders;
        var grain = NewGrain();
        var old = await table.UpsertRow(Entry(grain, "r"));
        var current = await table.UpsertRow(Entry(grain, "r"));

        Assert.False(await table.RemoveRow(grain, "r", old!));
        Assert.False(await table.RemoveRow(grain, "r", "garbage"));
        Assert.NotNull(await table.ReadRow(grain, "r"));

        Assert.True(await table.RemoveRow(grain, "r", current!));
        Assert.Null(await table.ReadRow(grain, "r"));
        Assert.False(await table.RemoveRow(grain, "r", current!));
    }

    [Fact]
    public async Task Ranges_follow_orleans_ring_including_wrap_around()
    {
        var table = fixture.Reminders;
        var grains = Enumerable.Range(0, 64).Select(_ => NewGrain()).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Entry(grain, "ring"));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).OrderBy(h => h).ToList();
        var mid = hashes[hashes.Count / 2];
        (uint Begin, uint End)[] ranges =
        [
            (hashes[10], hashes[40]),              // inside: (begin, end]
            (hashes[40], hashes[10]),              // wrapped: (begin, max] ∪ [0, end]
            (hashes[^1], hashes[0]),               // wrapped, holding only the ends
            (0, uint.MaxValue),                    // everything but hash 0
            (mid, mid),                            // begin = end: the whole ring
            (uint.MaxValue, hashes[5]),            // wrapped from the top
            (hashes[20] - 1, hashes[20]),          // exactly one position
        ];

        foreach (var (begin, end) in ranges)
        {
            var read = (await table.ReadRows(begin, end)).Reminders
                .Where(r => r.ReminderName == "ring" && grains.Contains(r.GrainId))
                .Select(r => r.GrainId)
                .ToHashSet();
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).ToHashSet();
            Assert.True(expected.SetEquals(read), $"range ({begin}, {end}]: expected {expected.Count} rows, read {read.Count}");
        }
    }

    // Orleans' ring range: (begin, end] without wrap, otherwise (begin, max] ∪ [0, end]; begin = end is the full ring.
    private static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
