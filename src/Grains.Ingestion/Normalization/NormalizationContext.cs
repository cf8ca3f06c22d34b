using System.Net;

namespace Grains.Ingestion.Normalization;

/// <summary>Request facts the normalizer needs besides the event itself.</summary>
/// <param name="ReceivedAt">When the edge received the request; becomes <c>received</c> and the clamp reference.</param>
/// <param name="ClientIp">The connection's remote address, substituted for <c>{{auto}}</c>.</param>
/// <param name="EventId">The envelope header's <c>event_id</c>, which wins over the payload's.</param>
/// <param name="SentAt">The envelope header's <c>sent_at</c>, for clock-drift correction.</param>
/// <param name="SdkName">SDK name from the envelope header or auth, used when the event has no <c>sdk</c>.</param>
/// <param name="SdkVersion">SDK version to go with <paramref name="SdkName"/>.</param>
public sealed record NormalizationContext(
    DateTimeOffset ReceivedAt,
    IPAddress? ClientIp = null,
    string? EventId = null,
    DateTimeOffset? SentAt = null,
    string? SdkName = null,
    string? SdkVersion = null);
