namespace Grains.Ingestion.Envelopes;

/// <summary>Known envelope item types (reference §3.6; Relay <c>item.rs</c> <c>FromStr</c>).</summary>
public enum EnvelopeItemType
{
    /// <summary>A type this edge does not know. Kept, never rejected.</summary>
    Unknown,
    Event,
    Transaction,
    Security,
    RawSecurity,
    Nel,
    Attachment,
    FormData,
    UnrealReport,
    UserReport,
    Feedback,
    Session,
    Sessions,
    ClientReport,
    CheckIn,
    Log,
    TraceMetric,
    Span,
    Profile,
    ProfileChunk,
    ReplayEvent,
    ReplayRecording,
    ReplayVideo,
    Statsd,
    MetricBuckets,

    /// <summary>Relay-internal (OTLP); rejected when a client sends it.</summary>
    Integration,
}
