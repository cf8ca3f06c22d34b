using Grains.Ingestion.Envelopes;
using Grains.Monitoring.Outcomes;

namespace Grains.Monitoring.Tests.Outcomes;

public sealed class OutcomeAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 15, 0, TimeSpan.Zero);
    private static readonly long Hour0 = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static OutcomeEvent Event(DataCategory category, OutcomeKind outcome = OutcomeKind.Accepted, string? reason = null, long quantity = 1, long project = 1, string? key = "k1", DateTimeOffset? at = null) =>
        new(7, project, key, category, outcome, reason, quantity, at ?? T0);

    [Fact]
    public async Task Sums_per_key_hour_category_outcome_and_reason_and_counts_times_seen()
    {
        var store = new MemoryStore();
        var aggregator = new OutcomeAggregator(store);
        aggregator.Record(Event(DataCategory.Error));
        aggregator.Record(Event(DataCategory.Error));
        aggregator.Record(Event(DataCategory.Attachment, quantity: 1000));
        aggregator.Record(Event(DataCategory.Attachment, quantity: 24));
        aggregator.Record(Event(DataCategory.Error, OutcomeKind.RateLimited, "key_quota", 3));
        aggregator.Record(Event(DataCategory.Error, key: "k2"));
        aggregator.Record(Event(DataCategory.Error, at: T0.AddHours(1)));
        aggregator.Record(Event(DataCategory.Error, quantity: 0)); // nothing to count
        await aggregator.FlushAsync();

        Assert.Equal(
            [
                new OutcomeRow(7, 1, "k1", Hour0, "attachment", OutcomeKind.Accepted, null, 1024, 2),
                new OutcomeRow(7, 1, "k1", Hour0, "error", OutcomeKind.Accepted, null, 2, 2),
                new OutcomeRow(7, 1, "k1", Hour0, "error", OutcomeKind.RateLimited, "key_quota", 3, 1),
                new OutcomeRow(7, 1, "k1", Hour0 + 3600, "error", OutcomeKind.Accepted, null, 1, 1),
                new OutcomeRow(7, 1, "k2", Hour0, "error", OutcomeKind.Accepted, null, 1, 1),
            ],
            store.Sorted());

        // Nothing recorded since: a flush writes nothing.
        var batches = store.Batches;
        await aggregator.FlushAsync();
        Assert.Equal(batches, store.Batches);
    }

    [Fact]
    public async Task A_write_that_committed_but_failed_to_answer_is_retried_with_its_id_and_counted_once()
    {
        var store = new MemoryStore { FailAfterCommit = 1 };
        var aggregator = new OutcomeAggregator(store);
        aggregator.Record(Event(DataCategory.Error, quantity: 5));

        await Assert.ThrowsAsync<TimeoutException>(() => aggregator.FlushAsync());
        Assert.Equal(1, aggregator.PendingBatches);

        aggregator.Record(Event(DataCategory.Error, quantity: 2));
        await aggregator.FlushAsync();

        Assert.Equal(0, aggregator.PendingBatches);
        Assert.Equal(1, store.Duplicates);
        Assert.Equal([new OutcomeRow(7, 1, "k1", Hour0, "error", OutcomeKind.Accepted, null, 7, 2)], store.Sorted());
    }

    [Fact]
    public async Task A_write_that_failed_before_committing_keeps_its_counts_for_the_next_flush()
    {
        var store = new MemoryStore { FailBeforeCommit = 2 };
        var aggregator = new OutcomeAggregator(store);
        aggregator.Record(Event(DataCategory.Error, quantity: 5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => aggregator.FlushAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => aggregator.FlushAsync());
        await aggregator.FlushAsync();
        Assert.Equal([new OutcomeRow(7, 1, "k1", Hour0, "error", OutcomeKind.Accepted, null, 5, 1)], store.Sorted());
        Assert.Equal(0, store.Duplicates);
    }

    [Fact]
    public async Task Large_flushes_are_split_into_batches_of_at_most_MaxBatchRows()
    {
        var store = new MemoryStore();
        var aggregator = new OutcomeAggregator(store, new OutcomeOptions { MaxBatchRows = 3 });
        for (var project = 1; project <= 7; project++)
        {
            aggregator.Record(Event(DataCategory.Error, project: project));
        }

        await aggregator.FlushAsync();
        Assert.Equal([3, 3, 1], store.Batches.Select(b => b.Rows.Count));
        Assert.Equal(3, store.Batches.Select(b => b.Id).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_recording_while_flushing_loses_and_doubles_nothing()
    {
        var store = new MemoryStore();
        var aggregator = new OutcomeAggregator(store);
        const int Threads = 8;
        const int PerThread = 50_000;
        using var done = new CancellationTokenSource();
        var flusher = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await aggregator.FlushAsync();
                await Task.Yield();
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                aggregator.Record(Event(i % 2 == 0 ? DataCategory.Error : DataCategory.Transaction, project: t % 3));
            }
        })));
        await done.CancelAsync();
        await flusher;
        await aggregator.FlushAsync();

        Assert.Equal((long)Threads * PerThread, store.Rows.Values.Sum(c => c.Quantity));
        Assert.Equal((long)Threads * PerThread, store.Rows.Values.Sum(c => c.Times));
        Assert.Equal(6, store.Rows.Count);
    }

    [Fact]
    public void Recording_a_seen_key_allocates_nothing()
    {
        var aggregator = new OutcomeAggregator(new MemoryStore());
        var outcome = Event(DataCategory.Error);
        aggregator.Record(outcome);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            aggregator.Record(outcome);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>An <see cref="IOutcomeStore"/> in memory with the relational stores' batch-id rule, and injectable failures.</summary>
    private sealed class MemoryStore : IOutcomeStore
    {
        private readonly HashSet<Guid> _ids = [];

        public Dictionary<(long, long, string?, long, string, OutcomeKind, string?), (long Quantity, long Times)> Rows { get; } = [];

        public List<OutcomeBatch> Batches { get; } = [];

        public int Duplicates { get; private set; }

        public int FailAfterCommit { get; set; }

        public int FailBeforeCommit { get; set; }

        public Task<bool> WriteAsync(OutcomeBatch batch, CancellationToken cancellationToken = default)
        {
            lock (_ids)
            {
                if (FailBeforeCommit > 0)
                {
                    FailBeforeCommit--;
                    throw new InvalidOperationException("connection refused");
                }

                if (!_ids.Add(batch.Id))
                {
                    Duplicates++;
                    return Task.FromResult(false);
                }

                Batches.Add(batch);
                foreach (var r in batch.Rows)
                {
                    var key = (r.OrganizationId, r.ProjectId, r.PublicKey, r.HourStart, r.Category, r.Outcome, r.Reason);
                    var current = Rows.GetValueOrDefault(key);
                    Rows[key] = (current.Quantity + r.Quantity, current.Times + r.TimesSeen);
                }

                if (FailAfterCommit > 0)
                {
                    FailAfterCommit--;
                    throw new TimeoutException("the commit's answer was lost");
                }

                return Task.FromResult(true);
            }
        }

        public Task<IReadOnlyList<OutcomeRow>> ReadAsync(long? organizationId, long fromHour, long toHour, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public OutcomeRow[] Sorted() =>
        [
            .. Rows.Select(r => new OutcomeRow(r.Key.Item1, r.Key.Item2, r.Key.Item3, r.Key.Item4, r.Key.Item5, r.Key.Item6, r.Key.Item7, r.Value.Quantity, r.Value.Times))
                .OrderBy(r => r.PublicKey, StringComparer.Ordinal).ThenBy(r => r.HourStart).ThenBy(r => r.Category, StringComparer.Ordinal).ThenBy(r => r.Outcome),
        ];
    }
}
