namespace Grains.Monitoring.RateLimits;

/// <summary>
/// The count of one quota in its current fixed window (the state of <see cref="RateLimitBucketGrain"/>,
/// kept apart so the arithmetic is tested without a silo). A new window starts from zero. A grant
/// never takes the count past the limit, so what the bucket hands out over a window is at most the
/// limit; what edges may admit beyond it comes only from leases spent across a window boundary.
/// </summary>
public sealed class FixedWindowCounter
{
    private long _slot = long.MinValue;
    private long _used;

    /// <summary>Items granted in the current window.</summary>
    public long Used => _used;

    /// <summary>Grants what remains of the limit, up to <see cref="LeaseRequest.Wanted"/>, at <paramref name="unixSeconds"/>.</summary>
    public LeaseGrant Acquire(LeaseRequest request, long unixSeconds)
    {
        ArgumentNullException.ThrowIfNull(request);
        var window = new QuotaWindow(request.WindowSeconds, request.OrganizationId);
        var slot = window.Slot(unixSeconds);
        if (slot != _slot)
        {
            _slot = slot;
            _used = 0;
        }

        var granted = Math.Clamp(Math.Min(request.Wanted, request.Limit - _used), 0, long.MaxValue);
        _used += granted;
        return new LeaseGrant(granted, window.End(slot), _used, unixSeconds);
    }
}
