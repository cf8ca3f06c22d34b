namespace Grains.Server.Dashboard.Live;

/// <summary>
/// Decides when one page may refresh after a change: at once if its last refresh is at least the
/// interval ago, else at the end of the interval; and never twice for one wait — changes arriving
/// while a refresh is pending join it. However many changes arrive, a page refreshes at most once
/// per interval, and the last change is always followed by a refresh.
/// </summary>
public sealed class RefreshThrottle(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _last;
    private bool _pending;

    /// <summary>A change arrived: how long to wait before refreshing, or null when a refresh is already pending (nothing to do).</summary>
    public TimeSpan? Request()
    {
        lock (_lock)
        {
            if (_pending)
            {
                return null;
            }

            _pending = true;
            var wait = _last is { } last ? last + interval - time.GetUtcNow() : TimeSpan.Zero;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    /// <summary>The refresh starts now: later changes need a new one (it reads the store after this moment).</summary>
    public void Started()
    {
        lock (_lock)
        {
            _pending = false;
            _last = time.GetUtcNow();
        }
    }
}
