using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.RateLimits;

/// <summary>The default <see cref="ISpikeProtection"/>: no thresholds.</summary>
public sealed class NoSpikeProtection : ISpikeProtection
{
    /// <inheritdoc />
    public long? HourlyThreshold(long organizationId, long projectId, DataCategory category) => null;
}
