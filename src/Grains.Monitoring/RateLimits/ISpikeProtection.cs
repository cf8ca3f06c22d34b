using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.RateLimits;

/// <summary>
/// Spike protection's answer to the ingest edge: the hourly threshold of a project for a data category.
/// The edge consults it for every category of every admitted request and enforces the threshold
/// like any other quota (a bucket per project and category, one-hour windows, leases), dropping the
/// excess with reason <c>smart_rate_limit</c>; the drops are recorded as <c>rate_limited</c> outcomes
/// with that reason, which is how the spike code sees them.
/// </summary>
/// <remarks>
/// Called on the hot path for every request: answer from memory (recompute thresholds in the
/// background, hourly) and never block. The default registration (<see cref="NoSpikeProtection"/>)
/// never limits; registering another implementation replaces it.
/// </remarks>
public interface ISpikeProtection
{
    /// <summary>Items of <paramref name="category"/> the project may send in the current hour, or null when it is not limited.</summary>
    long? HourlyThreshold(long organizationId, long projectId, DataCategory category);
}
