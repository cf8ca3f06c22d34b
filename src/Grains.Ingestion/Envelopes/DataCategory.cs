namespace Grains.Ingestion.Envelopes;

/// <summary>
/// A rate-limit / outcome data category (reference §5.3), identified by its wire name as used in
/// <c>X-Sentry-Rate-Limits</c> and client reports.
/// </summary>
/// <param name="Name">The wire name, e.g. <c>error</c>.</param>
public readonly record struct DataCategory(string Name)
{
    public static readonly DataCategory Default = new("default");
    public static readonly DataCategory Error = new("error");
    public static readonly DataCategory Transaction = new("transaction");
    public static readonly DataCategory Security = new("security");
    public static readonly DataCategory Attachment = new("attachment");
    public static readonly DataCategory Session = new("session");
    public static readonly DataCategory Internal = new("internal");
    public static readonly DataCategory Profile = new("profile");
    public static readonly DataCategory ProfileChunk = new("profile_chunk");
    public static readonly DataCategory ProfileChunkUi = new("profile_chunk_ui");
    public static readonly DataCategory Replay = new("replay");
    public static readonly DataCategory Feedback = new("feedback");
    public static readonly DataCategory Monitor = new("monitor");
    public static readonly DataCategory Span = new("span");
    public static readonly DataCategory LogItem = new("log_item");
    public static readonly DataCategory TraceMetric = new("trace_metric");
    public static readonly DataCategory MetricBucket = new("metric_bucket");

    /// <inheritdoc />
    public override string ToString() => Name;
}
