using Grains.Ingestion.Envelopes;

namespace Grains.Server.Ingest.Admission;

/// <summary>
/// What a request may keep: the envelope without its rate-limited items, and the limits that dropped
/// them. Relay's <c>/envelope/</c> answers 429 whenever a limit dropped anything, after queueing the rest.
/// </summary>
public sealed class EnvelopeAdmission(Envelope envelope, IReadOnlyList<ActiveRateLimit> limits)
{
    /// <summary>The envelope to process: every item no limit dropped.</summary>
    public Envelope Envelope { get; } = envelope;

    /// <summary>The limits that dropped items; empty when nothing was dropped.</summary>
    public IReadOnlyList<ActiveRateLimit> Limits { get; } = limits;

    /// <summary>Throws the 429 when items were dropped; call once the rest is durable.</summary>
    public void ThrowIfLimited()
    {
        if (Limits.Count > 0)
        {
            throw new RateLimitedException(Limits);
        }
    }
}
