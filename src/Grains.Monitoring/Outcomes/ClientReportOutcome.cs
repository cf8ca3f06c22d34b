using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.Outcomes;

/// <summary>One entry of a client report: what the SDK (or a downstream Relay) dropped, why, in which category, how many.</summary>
public readonly record struct ClientReportOutcome(OutcomeKind Outcome, string Reason, DataCategory Category, long Quantity);
