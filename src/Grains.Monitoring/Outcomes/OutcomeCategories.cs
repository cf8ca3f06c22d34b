using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.Outcomes;

/// <summary>Relay's outcome-only data categories that are not item categories (<see cref="DataCategory"/> holds those).</summary>
public static class OutcomeCategories
{
    /// <summary>One per attachment item, beside its bytes in <c>attachment</c> (Relay counts both).</summary>
    public static readonly DataCategory AttachmentItem = new("attachment_item");

    public static readonly DataCategory LogByte = new("log_byte");

    public static readonly DataCategory TraceMetricByte = new("trace_metric_byte");

    public static readonly DataCategory ProfileIndexed = new("profile_indexed");

    public static readonly DataCategory TransactionIndexed = new("transaction_indexed");

    public static readonly DataCategory SpanIndexed = new("span_indexed");

    public static readonly DataCategory ReplayVideo = new("replay_video");

    public static readonly DataCategory Uptime = new("uptime");

    public static readonly DataCategory MonitorSeat = new("monitor_seat");

    public static readonly DataCategory UserReportV2 = new("user_report_v2");
}
