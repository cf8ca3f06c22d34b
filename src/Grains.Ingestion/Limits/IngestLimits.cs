namespace Grains.Ingestion.Limits;

/// <summary>
/// Size and count limits of the ingest edge. Defaults are Relay's (<c>relay-config Limits::default</c>)
/// as listed in the protocol reference §4.6, except <see cref="MaxCompressedBodySize"/> (see there).
/// </summary>
public sealed record IngestLimits
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;

    /// <summary>The defaults.</summary>
    public static IngestLimits Default { get; } = new();

    /// <summary>
    /// Bytes read from the wire when the body carries a <c>Content-Encoding</c>. Relay has no such
    /// limit; it is ours, so that a slow trickle of compressed data cannot hold a connection for
    /// long. 20 MiB is Relay's <c>max_api_payload_size</c>.
    /// </summary>
    public long MaxCompressedBodySize { get; init; } = 20 * MiB;

    /// <summary><c>max_envelope_size</c>: the whole envelope after decompression.</summary>
    public long MaxEnvelopeSize { get; init; } = 200 * MiB;

    /// <summary>
    /// Items per envelope, of every type together, unknown types included. Relay has no such limit
    /// (it bounds only some types' counts); ours keeps an envelope of a million tiny items from costing
    /// a million rows or list entries. 500 is above the sum of every known type's own count limit (1
    /// event-like item, 30 attachments, 100 sessions, 100 client reports, 100 standalone spans, and one
    /// each of the remaining types: 339), so an envelope within the per-type limits never meets it.
    /// </summary>
    public int MaxEnvelopeItems { get; init; } = 500;

    /// <summary>
    /// Decoded bytes read to find the envelope header when the credentials are only in it (tunnel
    /// mode): the most an unauthenticated request makes the edge decode. Relay reads the first line
    /// without a bound of its own; SDK headers are well under 1 KiB.
    /// </summary>
    public int MaxEnvelopeHeaderSize { get; init; } = 16 * KiB;

    /// <summary><c>max_event_size</c>: event-like items, and the whole legacy store body.</summary>
    public long MaxEventSize { get; init; } = 1 * MiB;

    /// <summary><c>max_attachment_size</c>: one attachment item.</summary>
    public long MaxAttachmentSize { get; init; } = 200 * MiB;

    /// <summary><c>max_attachments_size</c>: all attachments of an envelope together.</summary>
    public long MaxAttachmentsSize { get; init; } = 200 * MiB;

    /// <summary><c>max_attachment_count</c>.</summary>
    public int MaxAttachmentCount { get; init; } = 30;

    /// <summary><c>max_sessions_size</c>: all session items together.</summary>
    public long MaxSessionsSize { get; init; } = 10 * MiB;

    /// <summary><c>max_session_count</c>.</summary>
    public int MaxSessionCount { get; init; } = 100;

    /// <summary><c>max_client_reports_size</c> (current Relay; the docs say 4 KiB).</summary>
    public long MaxClientReportsSize { get; init; } = 100 * KiB;

    /// <summary><c>max_client_reports_count</c>.</summary>
    public int MaxClientReportCount { get; init; } = 100;

    /// <summary><c>max_check_in_size</c>.</summary>
    public long MaxCheckInSize { get; init; } = 100 * KiB;

    /// <summary><c>max_profile_size</c>.</summary>
    public long MaxProfileSize { get; init; } = 50 * MiB;

    /// <summary><c>max_log_size</c>: average size of one log inside a <c>log</c> container.</summary>
    public long MaxLogSize { get; init; } = 2 * MiB;

    /// <summary><c>max_trace_metric_size</c>: average size of one metric inside its container.</summary>
    public long MaxTraceMetricSize { get; init; } = 1 * MiB;

    /// <summary><c>max_span_size</c>: one span (average inside a container).</summary>
    public long MaxSpanSize { get; init; } = 10 * MiB;

    /// <summary><c>max_container_size</c>: a whole log / trace_metric / span container.</summary>
    public long MaxContainerSize { get; init; } = 12 * MiB;

    /// <summary>
    /// Standalone (non-container) spans per envelope. The reference gives no figure for Relay's
    /// <c>max_standalone_span_count</c>; 100 matches the session and client-report counts.
    /// </summary>
    public int MaxStandaloneSpanCount { get; init; } = 100;

    /// <summary><c>max_replay_compressed_size</c>: replay recording and replay video.</summary>
    public long MaxReplayCompressedSize { get; init; } = 10 * MiB;

    /// <summary><c>max_statsd_size</c> / <c>max_metric_buckets_size</c>.</summary>
    public long MaxMetricsSize { get; init; } = 1 * MiB;
}
