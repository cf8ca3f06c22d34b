using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.Outcomes;

/// <summary>
/// One counted outcome: whose items (organization, project, DSN key), which data category, what became
/// of them and why (Relay's reason code, e.g. <c>key_quota</c>, <c>release-version</c>; none for
/// accepted), how many (items, or bytes for attachments) and when they arrived.
/// </summary>
public readonly record struct OutcomeEvent(
    long OrganizationId,
    long ProjectId,
    string? PublicKey,
    DataCategory Category,
    OutcomeKind Outcome,
    string? Reason,
    long Quantity,
    DateTimeOffset Timestamp);
