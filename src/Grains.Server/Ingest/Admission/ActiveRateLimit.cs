using Grains.Monitoring.RateLimits;

namespace Grains.Server.Ingest.Admission;

/// <summary>A quota that rejected items, and for how many more seconds (Relay's <c>RateLimit</c>).</summary>
public sealed record ActiveRateLimit(Quota Quota, long RetryAfterSeconds);
