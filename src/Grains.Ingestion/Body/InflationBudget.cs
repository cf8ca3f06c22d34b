using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Body;

/// <summary>
/// The silo-wide budget of bytes held by request bodies being decoded (and parsed) at once. A body
/// reserves room before each growth of its buffer, because the decoded size is not known ahead; when
/// the budget is full the request waits up to <see cref="MaxWait"/> for others to finish, then gets
/// 503 with <c>Retry-After</c> instead of the process running out of memory.
/// </summary>
/// <remarks>
/// Progress is guaranteed: when the budget is full, one body at a time (the first to find it full)
/// may grow past it up to its own limit, and the others wait for it. Without that, bodies growing
/// together would fill the budget and all wait for each other until every one is refused; with it,
/// memory stays within the budget plus one body, and a body up to the envelope limit is served even
/// on a budget configured below it: the budget bounds concurrency, not the limits.
/// </remarks>
public sealed class InflationBudget
{
    /// <summary>The 503 <c>detail</c> (Relay's for overload).</summary>
    public const string OverloadDetail = "failed to queue envelope";

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private object? _overflow;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _inFlight;
    private long _decoded;
    private long _rejections;
    private long _largeReleased;

    /// <summary>Creates a budget.</summary>
    /// <param name="maxBytes">Most bytes reserved at once (positive).</param>
    /// <param name="maxWait">Longest a reservation waits for room before the request is refused.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> given with the refusal (whole seconds, at least 1).</param>
    /// <param name="time">Clock for the wait; the system clock when <c>null</c>.</param>
    public InflationBudget(long maxBytes, TimeSpan maxWait, TimeSpan retryAfter, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);
        MaxBytes = maxBytes;
        MaxWait = maxWait;
        RetryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Most bytes reserved at once.</summary>
    public long MaxBytes { get; }

    /// <summary>Longest a reservation waits for room.</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>The <c>Retry-After</c> of a refusal, in whole seconds.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Bytes reserved now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Decoded bytes produced since start, by every request (authenticated or not).</summary>
    public long DecodedBytes => Interlocked.Read(ref _decoded);

    /// <summary>Requests refused with 503 since start.</summary>
    public long Rejections => Interlocked.Read(ref _rejections);

    /// <summary>Bytes of unpooled (large) buffers released since start: garbage the GC has yet to reclaim.</summary>
    public long LargeBytesReleased => Interlocked.Read(ref _largeReleased);

    /// <summary>Reserves <paramref name="bytes"/>, waiting up to <see cref="MaxWait"/> for room.</summary>
    /// <param name="bytes">The bytes to reserve.</param>
    /// <param name="holder">The body reserving (the same object for all its reservations); see <see cref="Finish"/>.</param>
    /// <param name="cancellationToken">Request abort.</param>
    /// <exception cref="IngestException">503 <see cref="OverloadDetail"/> with <see cref="IngestException.RetryAfter"/>.</exception>
    public async ValueTask ReserveAsync(long bytes, object holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(holder);
        var started = _time.GetTimestamp();
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (_inFlight == 0 || _inFlight + bytes <= MaxBytes || ReferenceEquals(_overflow ??= holder, holder))
                {
                    _inFlight += bytes;
                    return;
                }

                released = _released.Task;
            }

            var remaining = MaxWait - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                Interlocked.Increment(ref _rejections);
                throw IngestException.ServiceUnavailable(OverloadDetail, RetryAfter, "too many request bodies are being decompressed at once");
            }

            try
            {
                await released.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Checked once more above, then refused.
            }
        }
    }

    /// <summary>Reserves without waiting: for the small first buffer of every body, which must not be refused.</summary>
    public void Reserve(long bytes)
    {
        lock (_gate)
        {
            _inFlight += bytes;
        }
    }

    /// <summary>Gives back a reservation and wakes the waiting requests.</summary>
    /// <param name="bytes">The bytes reserved.</param>
    /// <param name="large">Whether they were an unpooled buffer, now garbage.</param>
    public void Release(long bytes, bool large)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            _inFlight -= bytes;
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (large)
        {
            Interlocked.Add(ref _largeReleased, bytes);
        }

        released.TrySetResult();
    }

    /// <summary>
    /// Ends <paramref name="holder"/>'s claim to grow past the budget, if it had it, once its body is
    /// released: the next body to find the budget full may take it.
    /// </summary>
    public void Finish(object holder)
    {
        TaskCompletionSource? released = null;
        lock (_gate)
        {
            if (ReferenceEquals(_overflow, holder))
            {
                _overflow = null;
                released = _released;
                _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        released?.TrySetResult();
    }

    /// <summary>Counts decoded bytes (for <see cref="DecodedBytes"/>).</summary>
    public void CountDecoded(long bytes) => Interlocked.Add(ref _decoded, bytes);
}
