using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests.Outcomes;

public abstract class OutcomeStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private const long Hour0 = 1_740_830_400; // 2025-03-01T12:00:00Z
    private readonly SettableTime _time = new(DateTimeOffset.FromUnixTimeSeconds(Hour0 + 900));
    private IOutcomeStore _store = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = Db.CreateOutcomeStore(_time);
    }

    private static OutcomeRow Row(long project, long hour, string category, OutcomeKind outcome, string? reason, long quantity, long times = 1, long org = 1, string? key = "k1") =>
        new(org, project, key, hour, category, outcome, reason, quantity, times);

    [Fact]
    public async Task A_batch_adds_its_counts_once_and_a_retried_batch_id_adds_nothing()
    {
        var batch = new OutcomeBatch(Guid.NewGuid(),
        [
            Row(1, Hour0, "error", OutcomeKind.Accepted, null, 3, 3),
            Row(1, Hour0, "attachment", OutcomeKind.Accepted, null, 2048, 2),
            Row(1, Hour0, "error", OutcomeKind.RateLimited, "key_quota", 5, 4),
        ]);

        Assert.True(await _store.WriteAsync(batch));
        Assert.False(await _store.WriteAsync(batch));
        Assert.False(await _store.WriteAsync(batch with { Rows = [Row(1, Hour0, "error", OutcomeKind.Accepted, null, 100)] }));

        var rows = await _store.ReadAsync(1, Hour0, Hour0 + 3600);
        Assert.Equal(
            [
                Row(1, Hour0, "attachment", OutcomeKind.Accepted, null, 2048, 2, key: null),
                Row(1, Hour0, "error", OutcomeKind.Accepted, null, 3, 3, key: null),
                Row(1, Hour0, "error", OutcomeKind.RateLimited, "key_quota", 5, 4, key: null),
            ],
            rows.OrderBy(r => r.Category, StringComparer.Ordinal).ThenBy(r => r.Outcome));
    }

    [Fact]
    public async Task Batches_sum_per_hour_and_reads_sum_over_keys_filtered_by_organization_and_hours()
    {
        Assert.True(await _store.WriteAsync(new OutcomeBatch(Guid.NewGuid(),
        [
            Row(1, Hour0, "error", OutcomeKind.Accepted, null, 1, key: "k1"),
            Row(1, Hour0, "error", OutcomeKind.Accepted, null, 2, key: "k2"),
            Row(1, Hour0, "error", OutcomeKind.Accepted, null, 4, key: null),
            Row(1, Hour0 - 3600, "error", OutcomeKind.Accepted, null, 8),
            Row(9, Hour0, "error", OutcomeKind.Accepted, null, 16, org: 2),
        ])));
        Assert.True(await _store.WriteAsync(new OutcomeBatch(Guid.NewGuid(), [Row(1, Hour0, "error", OutcomeKind.Accepted, null, 32, 5, key: "k1")])));

        var hour = Assert.Single(await _store.ReadAsync(1, Hour0, Hour0 + 3600));
        Assert.Equal(Row(1, Hour0, "error", OutcomeKind.Accepted, null, 39, 8, key: null), hour);

        var both = await _store.ReadAsync(1, Hour0 - 3600, Hour0 + 3600);
        Assert.Equal([8L, 39L], both.OrderBy(r => r.HourStart).Select(r => r.Quantity));

        var all = await _store.ReadAsync(null, Hour0, Hour0 + 3600);
        Assert.Equal([(1L, 39L), (2L, 16L)], all.Select(r => (r.OrganizationId, r.Quantity)).Order());
        Assert.Empty(await _store.ReadAsync(1, Hour0 + 3600, Hour0 + 7200));
    }

    [Fact]
    public async Task Batch_ids_are_kept_a_day_and_pruned_by_later_writes()
    {
        var old = new OutcomeBatch(Guid.NewGuid(), [Row(1, Hour0, "error", OutcomeKind.Accepted, null, 1)]);
        Assert.True(await _store.WriteAsync(old));
        _time.Now += TimeSpan.FromHours(23);
        Assert.True(await _store.WriteAsync(new OutcomeBatch(Guid.NewGuid(), [Row(1, Hour0, "error", OutcomeKind.Accepted, null, 1)])));
        Assert.False(await _store.WriteAsync(old));

        _time.Now += TimeSpan.FromHours(2);
        Assert.True(await _store.WriteAsync(new OutcomeBatch(Guid.NewGuid(), [Row(1, Hour0, "error", OutcomeKind.Accepted, null, 1)])));
        var ids = await Db.QueryAsync("SELECT COUNT(*) FROM outcome_batches");
        Assert.Equal(2L, ids[0][0]);
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

public sealed class SqliteOutcomeStoreTests : OutcomeStoreTests<SqliteBackend>;

public sealed class PostgresOutcomeStoreTests : OutcomeStoreTests<PostgresBackend>;
