using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grains.Monitoring.Outcomes;

/// <summary>
/// The <see cref="IOutcomeRecorder"/>: sums outcomes in memory per (organization, project, key, hour,
/// category, outcome, reason) and writes the sums in batches (<see cref="FlushAsync"/>, called by a
/// background flusher and on shutdown), each exactly once.
/// </summary>
/// <remarks>
/// <para>Hot path: <see cref="Record"/> takes the lock of one stripe chosen by the calling thread (so
/// threads rarely meet on a lock) and adds to a struct in a dictionary: no allocation once the key has
/// been seen in the current flush period (strings are the caller's, categories and reasons are constants).
/// A key may thus sit in several stripes; the flush merges them.</para>
/// <para>Exactly once: each stripe has two dictionaries; a flush swaps them under the stripe's lock
/// and reads the one it took alone. The merged counts become batches with fresh ids that stay pending
/// until the store confirms them; a failed or timed-out write is retried with the same id, which the
/// store writes in the same transaction as the counts, so a write that did commit is not added twice.
/// Counts recorded while the store is down accumulate (bounded by the number of distinct keys, not events).</para>
/// </remarks>
public sealed class OutcomeAggregator : IOutcomeRecorder
{
    private readonly IOutcomeStore _store;
    private readonly int _maxBatchRows;
    private readonly ILogger _logger;
    private readonly Stripe[] _stripes;
    private readonly int _mask;
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly List<OutcomeBatch> _pending = [];
    private readonly Dictionary<Key, Counts> _merge = [];

    /// <summary>Creates the aggregator over <paramref name="store"/>.</summary>
    public OutcomeAggregator(IOutcomeStore store, OutcomeOptions? options = null, ILogger<OutcomeAggregator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _maxBatchRows = (options ?? new OutcomeOptions()).MaxBatchRows;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_maxBatchRows);
        _logger = logger ?? NullLogger<OutcomeAggregator>.Instance;

        // A power of two at least 4x the cores: two threads share a stripe only by chance.
        var count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, Environment.ProcessorCount * 4));
        _stripes = new Stripe[count];
        for (var i = 0; i < count; i++)
        {
            _stripes[i] = new Stripe();
        }

        _mask = count - 1;
    }

    /// <summary>Batches taken from memory whose write has not been confirmed yet.</summary>
    public int PendingBatches
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <inheritdoc />
    public void Record(in OutcomeEvent outcome)
    {
        // Nothing to count, or a category without a name (default struct): ignored rather than thrown on the hot path.
        if (outcome.Quantity <= 0 || outcome.Category.Name is null)
        {
            return;
        }

        var seconds = outcome.Timestamp.ToUnixTimeSeconds();
        var key = new Key(outcome.OrganizationId, outcome.ProjectId, outcome.PublicKey, seconds - (((seconds % 3600) + 3600) % 3600),
            outcome.Category.Name, outcome.Outcome, outcome.Reason);
        var stripe = _stripes[Environment.CurrentManagedThreadId & _mask];
        lock (stripe.Gate)
        {
            ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(stripe.Live, key, out _);
            counts.Quantity += outcome.Quantity;
            counts.Times++;
        }

        var tags = new TagList { { "grains.outcome", OutcomeNames.Of(outcome.Outcome) }, { "grains.category", outcome.Category.Name } };
        OutcomeDiagnostics.Recorded.Add(1, tags);
        OutcomeDiagnostics.Quantity.Add(outcome.Quantity, tags);
    }

    /// <summary>
    /// Writes the pending batches (a previous flush's failures, with their ids) and then everything
    /// recorded so far. Throws the store's error after keeping the unwritten batches for the next flush.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TakeRecorded();
            while (true)
            {
                OutcomeBatch batch;
                lock (_pending)
                {
                    if (_pending.Count == 0)
                    {
                        return;
                    }

                    batch = _pending[0];
                }

                await WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                lock (_pending)
                {
                    _pending.RemoveAt(0);
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private async Task WriteAsync(OutcomeBatch batch, CancellationToken cancellationToken)
    {
        using var activity = OutcomeDiagnostics.ActivitySource.StartActivity("grains.outcomes.flush");
        activity?.SetTag("grains.outcomes.batch_id", batch.Id);
        activity?.SetTag("grains.outcomes.rows", batch.Rows.Count);
        try
        {
            var written = await _store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            OutcomeDiagnostics.Flushes.Add(1, new KeyValuePair<string, object?>("grains.outcomes.result", written ? "written" : "duplicate"));
            if (written)
            {
                OutcomeDiagnostics.FlushedRows.Add(batch.Rows.Count);
            }
            else
            {
                OutcomeLog.DuplicateBatch(_logger, batch.Id);
            }
        }
        catch (Exception exception)
        {
            OutcomeDiagnostics.Flushes.Add(1, new KeyValuePair<string, object?>("grains.outcomes.result", "error"));
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    /// <summary>Moves everything recorded into pending batches (under the flush gate).</summary>
    private void TakeRecorded()
    {
        foreach (var stripe in _stripes)
        {
            Dictionary<Key, Counts> taken;
            lock (stripe.Gate)
            {
                if (stripe.Live.Count == 0)
                {
                    continue;
                }

                taken = stripe.Live;
                stripe.Live = stripe.Spare;
                stripe.Spare = taken;
            }

            // Only this flush reads the dictionary it took: writers use the other one now.
            foreach (var (key, counts) in taken)
            {
                ref var merged = ref CollectionsMarshal.GetValueRefOrAddDefault(_merge, key, out _);
                merged.Quantity += counts.Quantity;
                merged.Times += counts.Times;
            }

            taken.Clear();
        }

        if (_merge.Count == 0)
        {
            return;
        }

        var rows = new List<OutcomeRow>(Math.Min(_merge.Count, _maxBatchRows));
        foreach (var (key, counts) in _merge)
        {
            rows.Add(new OutcomeRow(key.OrganizationId, key.ProjectId, key.PublicKey, key.HourStart, key.Category, key.Outcome, key.Reason, counts.Quantity, counts.Times));
            if (rows.Count == _maxBatchRows)
            {
                AddPending(rows);
                rows = new List<OutcomeRow>(Math.Min(_merge.Count, _maxBatchRows));
            }
        }

        if (rows.Count > 0)
        {
            AddPending(rows);
        }

        _merge.Clear();
    }

    private void AddPending(List<OutcomeRow> rows)
    {
        lock (_pending)
        {
            _pending.Add(new OutcomeBatch(Guid.NewGuid(), rows));
        }
    }

    private readonly record struct Key(long OrganizationId, long ProjectId, string? PublicKey, long HourStart, string Category, OutcomeKind Outcome, string? Reason);

    private struct Counts
    {
        public long Quantity;
        public long Times;
    }

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        public Dictionary<Key, Counts> Live = [];
        public Dictionary<Key, Counts> Spare = [];
    }
}
