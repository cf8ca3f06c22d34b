using Grains.Monitoring.RateLimits;

namespace Grains.Server.Ingest.Admission;

/// <summary>
/// One silo's slice of a bucket's budget for the current window, spent locally. Once the bucket has
/// granted less than asked for (its window's limit is used up), the lease remembers the limit until
/// the window ends and rejects from memory: no grain call until then.
/// </summary>
/// <remarks>
/// The lease expires when the window ends. The edge does not compare its own clock with the bucket's
/// window end (silos' clocks disagree); it takes the time the bucket said was left and counts it on
/// its own clock from the moment the grant arrived. The grant's travel time and the whole-second
/// resolution make the lease outlive the bucket's window by about a second at most, so an edge can
/// admit items of an old lease after the bucket has started counting the next window: at most what
/// the lease held, one slice (or one item larger than a slice), per silo per window. Unspent budget is
/// never carried into a later window.
/// </remarks>
public sealed class EdgeLease
{
    private readonly Lock _gate = new();
    private long _bucketWindowEnd;
    private long _localEnd;
    private long _remaining;
    private long _limitedUntil;

    /// <summary>Serializes refills, so concurrent requests on an empty lease make one grain call.</summary>
    internal SemaphoreSlim Refill { get; } = new(1, 1);

    /// <summary>Until when the scope is known to be limited (Unix seconds on this edge's clock; 0 when not).</summary>
    public long LimitedUntil
    {
        get
        {
            lock (_gate)
            {
                return _limitedUntil;
            }
        }
    }

    /// <summary>Items left in the lease at <paramref name="now"/>.</summary>
    public long Remaining(long now)
    {
        lock (_gate)
        {
            return now < _localEnd ? _remaining : 0;
        }
    }

    /// <summary>Spends <paramref name="quantity"/> items at <paramref name="now"/> (Unix seconds), if the lease holds them.</summary>
    public LeaseTake TryTake(long quantity, long now)
    {
        lock (_gate)
        {
            if (now >= _localEnd)
            {
                _remaining = 0;
            }

            if (quantity <= 0)
            {
                // Nothing to count (an empty attachment): only a known limit rejects it.
                return _limitedUntil > now ? LeaseTake.Limited(_limitedUntil) : LeaseTake.Taken(_localEnd);
            }

            if (_remaining >= quantity)
            {
                _remaining -= quantity;
                return LeaseTake.Taken(_localEnd);
            }

            return _limitedUntil > now ? LeaseTake.Limited(_limitedUntil) : LeaseTake.NeedsBudget;
        }
    }

    /// <summary>
    /// Adds a grant received at <paramref name="now"/>; a grant short of <paramref name="wanted"/> means
    /// the bucket is used up until its window ends.
    /// </summary>
    public void Add(LeaseGrant grant, long wanted, long now)
    {
        ArgumentNullException.ThrowIfNull(grant);
        lock (_gate)
        {
            if (grant.WindowEnd != _bucketWindowEnd)
            {
                _bucketWindowEnd = grant.WindowEnd;
                _remaining = 0;
            }

            _localEnd = now + Math.Max(0, grant.WindowEnd - grant.Now);
            _remaining += grant.Granted;
            if (grant.Granted < wanted)
            {
                _limitedUntil = Math.Max(_limitedUntil, _localEnd);
            }
        }
    }

    /// <summary>Gives back items taken from the lease that expires at <paramref name="localEnd"/> (another quota said no).</summary>
    public void Refund(long quantity, long localEnd)
    {
        lock (_gate)
        {
            if (localEnd == _localEnd)
            {
                _remaining += quantity;
            }
        }
    }
}
