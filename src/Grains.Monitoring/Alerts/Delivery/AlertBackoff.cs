namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// Exponential back-off with jitter: the delay after attempt <c>n</c> is <c>InitialBackoff × 2^(n-1)</c>,
/// capped at <c>MaxBackoff</c>, of which the second half is random ("equal jitter"), so deliveries that
/// failed together (a receiver's outage) do not all come back in the same instant, while each still
/// waits at least half its step.
/// </summary>
public static class AlertBackoff
{
    /// <summary>The delay before the attempt after <paramref name="attempt"/> (1-based).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var step = initial.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 40));
        var capped = Math.Min(step, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}
