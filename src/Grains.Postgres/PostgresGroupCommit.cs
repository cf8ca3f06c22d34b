namespace Grains.Postgres;

/// <summary>
/// Group commit for writes of many concurrent callers: calls queue, and everything queued while the
/// previous group commits goes out as the next group through one <c>commit</c> call (the owner sends
/// it as one <c>NpgsqlBatch</c>: one round trip, one implicit transaction, one WAL flush). Each call
/// completes only after its group committed; a failed group fails every call in it.
/// </summary>
/// <remarks>
/// One group at a time per instance, so a group's effects are ordered after the previous group's (the
/// durable log takes its offsets in call order this way). A group holds calls in queue order up to
/// <c>maxGroupSize</c> by <c>size</c> (one larger call goes alone). A call's token cancels it only while
/// it still waits in the queue; once its group was taken it completes with it. No thread waits while the
/// queue is empty: the first call after a quiet spell starts the drain loop.
/// </remarks>
/// <typeparam name="T">What one call writes.</typeparam>
public sealed class PostgresGroupCommit<T>
{
    private readonly Func<IReadOnlyList<T>, Task> _commit;
    private readonly Func<T, int> _size;
    private readonly Func<int> _maxGroupSize;
    private readonly object _gate = new();

    /// <summary>Calls waiting for the next group, in call order.</summary>
    private readonly Queue<Pending> _queue = new();

    /// <summary>Whether a drain loop runs (it clears this when it finds the queue empty, under <see cref="_gate"/>).</summary>
    private bool _writing;

    /// <summary>Creates the committer.</summary>
    /// <param name="commit">Writes one group atomically (all or nothing); throws to fail every call in it.</param>
    /// <param name="size">A call's share of the group limit (records, statements or 1).</param>
    /// <param name="maxGroupSize">The group limit, read per group.</param>
    public PostgresGroupCommit(Func<IReadOnlyList<T>, Task> commit, Func<T, int> size, Func<int> maxGroupSize)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(size);
        ArgumentNullException.ThrowIfNull(maxGroupSize);
        _commit = commit;
        _size = size;
        _maxGroupSize = maxGroupSize;
    }

    /// <summary>Queues <paramref name="item"/> for the next group; completes when that group committed, or fails with it.</summary>
    public Task CommitAsync(T item, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        // Watched before it is queued, so a completion never races the registration.
        var pending = new Pending(item, _size(item));
        pending.Watch(cancellationToken);
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            start = !_writing;
            _writing = true;
        }

        if (start)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return pending.Task;
    }

    /// <summary>Sends the queued calls as groups, one group at a time, until the queue is empty.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            var max = _maxGroupSize();
            var group = new List<Pending>();
            var count = 0;
            lock (_gate)
            {
                while (_queue.TryPeek(out var next) && (group.Count == 0 || count + next.Size <= max))
                {
                    _queue.Dequeue();
                    if (next.TryTake())
                    {
                        group.Add(next);
                        count += next.Size;
                    }
                }

                if (group.Count == 0)
                {
                    // Empty queue (cancelled calls were dropped above): the next call starts a new loop.
                    _writing = false;
                    return;
                }
            }

            try
            {
                var items = new T[group.Count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = group[i].Item;
                }

                await _commit(items).ConfigureAwait(false);
                foreach (var call in group)
                {
                    call.Complete(null);
                }
            }
            catch (Exception exception)
            {
                // Nothing of the group committed (one transaction): every caller fails and may retry.
                foreach (var call in group)
                {
                    call.Complete(exception);
                }
            }
        }
    }

    /// <summary>One call waiting for its group: taken by the drain loop or cancelled by its caller, whichever comes first.</summary>
    private sealed class Pending(T item, int size)
    {
        private const int Queued = 0, Taken = 1, Cancelled = 2;
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;
        private CancellationTokenRegistration _registration;

        public T Item { get; } = item;

        public int Size { get; } = size;

        public Task Task => _completion.Task;

        public void Watch(CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.Register(static (state, token) =>
                {
                    var call = (Pending)state!;
                    if (Interlocked.CompareExchange(ref call._state, Cancelled, Queued) == Queued)
                    {
                        call._completion.TrySetCanceled(token);
                    }
                }, this);
            }
        }

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public void Complete(Exception? failure)
        {
            _registration.Dispose();
            if (failure is null)
            {
                _completion.TrySetResult();
            }
            else
            {
                _completion.TrySetException(failure);
            }
        }
    }
}
