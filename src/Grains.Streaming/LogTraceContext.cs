using System.Diagnostics;

namespace Grains.Streaming;

/// <summary>
/// The W3C trace context (<c>traceparent</c>, and <c>tracestate</c> when it is small) of the activity
/// that appended a log record. The consumer parents the span that processes the record on it, so
/// one SDK request stays one trace across the log: HTTP ingest → durable append → delivery → stores.
/// </summary>
/// <remarks>
/// <para>
/// It travels beside the payload, not inside it: the log stores it in nullable columns of its own
/// (about 55 bytes per record, nothing when no one traces), containers and sequence tokens carry it
/// as a field. Framing it into the payload would make every consumer (and the dead-letter store,
/// and old records written before tracing) unwrap bytes it does not own; a column leaves the
/// payload exactly what the producer sent and lets rows from before the migration read as "no
/// context".
/// </para>
/// <para>
/// Only contexts in the W3C format are kept (the .NET default); hierarchical ids have no portable form.
/// </para>
/// </remarks>
/// <param name="TraceParent">The <c>traceparent</c> value: <c>00-{trace id}-{span id}-{flags}</c>.</param>
/// <param name="TraceState">The <c>tracestate</c> value, or null when there is none or it is longer than <see cref="MaxTraceStateLength"/>.</param>
[GenerateSerializer, Immutable, Alias("Grains.Streaming.LogTraceContext")]
public readonly record struct LogTraceContext([property: Id(0)] string TraceParent, [property: Id(1)] string? TraceState)
{
    /// <summary>
    /// The longest <c>tracestate</c> kept (characters). The W3C limit is 512; vendors rarely use more
    /// than a few dozen, and a record should not grow by half a kilobyte for an optional header.
    /// </summary>
    public const int MaxTraceStateLength = 256;

    /// <summary>The context of <paramref name="activity"/>, or null when there is no activity or its id is not in the W3C format.</summary>
    public static LogTraceContext? From(Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || activity.Id is not { } id)
        {
            return null;
        }

        var state = activity.TraceStateString;
        return new LogTraceContext(id, state is { Length: > 0 and <= MaxTraceStateLength } ? state : null);
    }

    /// <summary>Reads a stored pair back: null when <paramref name="traceParent"/> is null or empty (a record without a context).</summary>
    public static LogTraceContext? From(string? traceParent, string? traceState) =>
        string.IsNullOrEmpty(traceParent) ? null : new LogTraceContext(traceParent, string.IsNullOrEmpty(traceState) ? null : traceState);

    /// <summary>Parses the context as the remote parent of a consumer span; false when it is malformed.</summary>
    public bool TryGetParent(out ActivityContext parent) => ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out parent);
}
