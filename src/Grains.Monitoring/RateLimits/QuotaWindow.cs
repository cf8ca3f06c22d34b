namespace Grains.Monitoring.RateLimits;

/// <summary>
/// Relay's fixed windows (<c>relay-quotas/src/redis.rs</c>): the window boundaries of an organization
/// are shifted by <c>organization_id % window</c> seconds, so the counters of all organizations do not
/// reset at the same second. <c>slot = (now - shift) / window</c>; the slot ends at
/// <c>(slot + 1) * window + shift</c>. Times are whole Unix seconds, as Relay's.
/// </summary>
public readonly record struct QuotaWindow
{
    /// <summary>Creates the window of <paramref name="seconds"/> for an organization.</summary>
    public QuotaWindow(long seconds, long organizationId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        Seconds = seconds;
        Shift = Math.Abs(organizationId % seconds);
    }

    /// <summary>The window length.</summary>
    public long Seconds { get; }

    /// <summary>The organization's offset of the window boundaries.</summary>
    public long Shift { get; }

    /// <summary>The slot (window number) that contains <paramref name="unixSeconds"/>.</summary>
    public long Slot(long unixSeconds) => (unixSeconds - Shift) / Seconds;

    /// <summary>The first second of <paramref name="slot"/>.</summary>
    public long Start(long slot) => slot * Seconds + Shift;

    /// <summary>The first second after <paramref name="slot"/>: when its count resets.</summary>
    public long End(long slot) => (slot + 1) * Seconds + Shift;
}
