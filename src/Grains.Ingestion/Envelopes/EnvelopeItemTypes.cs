namespace Grains.Ingestion.Envelopes;

/// <summary>Item type names and their data categories (reference §3.6, §5.4).</summary>
public static class EnvelopeItemTypes
{
    public static EnvelopeItemType Parse(string type) => type switch
    {
        "event" => EnvelopeItemType.Event,
        "transaction" => EnvelopeItemType.Transaction,
        "security" => EnvelopeItemType.Security,
        "raw_security" => EnvelopeItemType.RawSecurity,
        "nel" => EnvelopeItemType.Nel,
        "attachment" => EnvelopeItemType.Attachment,
        "form_data" => EnvelopeItemType.FormData,
        "unreal_report" => EnvelopeItemType.UnrealReport,
        "user_report" => EnvelopeItemType.UserReport,
        "feedback" => EnvelopeItemType.Feedback,
        "session" => EnvelopeItemType.Session,
        "sessions" => EnvelopeItemType.Sessions,
        "client_report" => EnvelopeItemType.ClientReport,
        "check_in" => EnvelopeItemType.CheckIn,
        "log" => EnvelopeItemType.Log,
        "trace_metric" => EnvelopeItemType.TraceMetric,
        "span" => EnvelopeItemType.Span,
        "profile" => EnvelopeItemType.Profile,
        "profile_chunk" => EnvelopeItemType.ProfileChunk,
        "replay_event" => EnvelopeItemType.ReplayEvent,
        "replay_recording" => EnvelopeItemType.ReplayRecording,
        "replay_video" => EnvelopeItemType.ReplayVideo,
        "statsd" => EnvelopeItemType.Statsd,
        "metric_buckets" => EnvelopeItemType.MetricBuckets,
        "integration" => EnvelopeItemType.Integration,
        _ => EnvelopeItemType.Unknown,
    };

    /// <summary>
    /// The category an item is counted in. <c>event</c> maps to <c>error</c> as the SDKs count it;
    /// Relay refines default/error/security only after parsing the payload. <c>user_report</c>
    /// follows Relay (<c>feedback</c>), not JS (<c>default</c>), since the server's outcomes are Relay's.
    /// </summary>
    public static DataCategory? CategoryOf(EnvelopeItemType type, string? platform) => type switch
    {
        EnvelopeItemType.Event => DataCategory.Error,
        EnvelopeItemType.Transaction => DataCategory.Transaction,
        EnvelopeItemType.Security or EnvelopeItemType.RawSecurity or EnvelopeItemType.Nel => DataCategory.Security,
        EnvelopeItemType.UnrealReport or EnvelopeItemType.FormData => DataCategory.Error,
        EnvelopeItemType.Attachment => DataCategory.Attachment,
        EnvelopeItemType.UserReport or EnvelopeItemType.Feedback => DataCategory.Feedback,
        EnvelopeItemType.Session or EnvelopeItemType.Sessions => DataCategory.Session,
        EnvelopeItemType.ClientReport => DataCategory.Internal,
        EnvelopeItemType.CheckIn => DataCategory.Monitor,
        EnvelopeItemType.Log => DataCategory.LogItem,
        EnvelopeItemType.TraceMetric => DataCategory.TraceMetric,
        EnvelopeItemType.Span => DataCategory.Span,
        EnvelopeItemType.Profile => DataCategory.Profile,
        EnvelopeItemType.ProfileChunk => platform is "cocoa" or "android" or "javascript" ? DataCategory.ProfileChunkUi : DataCategory.ProfileChunk,
        EnvelopeItemType.ReplayEvent or EnvelopeItemType.ReplayRecording or EnvelopeItemType.ReplayVideo => DataCategory.Replay,
        EnvelopeItemType.Statsd or EnvelopeItemType.MetricBuckets => DataCategory.MetricBucket,
        _ => null,
    };

    /// <summary>Items that need an event id in the envelope header (Relay <c>requires_event</c>).</summary>
    public static bool RequiresEvent(EnvelopeItemType type) => type is
        EnvelopeItemType.Event or EnvelopeItemType.Transaction or EnvelopeItemType.Security or EnvelopeItemType.RawSecurity
        or EnvelopeItemType.Attachment or EnvelopeItemType.FormData or EnvelopeItemType.UnrealReport or EnvelopeItemType.Feedback;
}
