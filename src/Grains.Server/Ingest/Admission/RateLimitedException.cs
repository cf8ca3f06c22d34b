namespace Grains.Server.Ingest.Admission;

/// <summary>The request (or some of its items) hit quotas: the edge answers 429 with <see cref="Limits"/>.</summary>
public sealed class RateLimitedException(IReadOnlyList<ActiveRateLimit> limits)
    : Exception("Sentry dropped data due to a quota or internal rate limit being reached.")
{
    /// <summary>The limits that applied, each at most once.</summary>
    public IReadOnlyList<ActiveRateLimit> Limits { get; } = limits;
}
