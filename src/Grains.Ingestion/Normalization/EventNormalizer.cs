using System.Text.Json.Nodes;
using Grains.Ingestion.Errors;
using static Grains.Ingestion.Normalization.Interfaces.EventAttributes;
using static Grains.Ingestion.Normalization.Interfaces.TimestampNormalization;
using static Grains.Ingestion.Normalization.Interfaces.LogEntryInterface;
using static Grains.Ingestion.Normalization.Interfaces.TagsInterface;
using static Grains.Ingestion.Normalization.Interfaces.ExceptionInterface;
using static Grains.Ingestion.Normalization.Interfaces.StacktraceInterface;
using static Grains.Ingestion.Normalization.Interfaces.ThreadsInterface;
using static Grains.Ingestion.Normalization.Interfaces.BreadcrumbsInterface;
using static Grains.Ingestion.Normalization.Interfaces.UserInterface;
using static Grains.Ingestion.Normalization.Interfaces.ContextsInterface;
using static Grains.Ingestion.Normalization.Interfaces.RequestInterface;
using static Grains.Ingestion.Normalization.Interfaces.SdkInterface;
using static Grains.Ingestion.Normalization.Interfaces.DataBags;
using static Grains.Ingestion.Normalization.Interfaces.FingerprintAttribute;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// Turns a raw event (an <c>event</c> item payload or a legacy store body) into the canonical event
/// object the rest of Grains works with, following Relay's normalization (reference §4): one JSON
/// parse, then in-place rewriting of the known attributes. Invalid values are dropped or replaced
/// and size cuts recorded in <c>_meta</c>, so a sloppy SDK loses a field, never the event.
/// Each attribute or Sentry interface has its own step in <c>Interfaces/</c> (exception, stacktrace, threads,
/// breadcrumbs, request, user, contexts, tags, sdk, log entry, …); this class only orders them.
/// </summary>
/// <remarks>Thread-safe: the instance holds only immutable options.</remarks>
public sealed class EventNormalizer(NormalizationOptions? options = null)
{
    /// <summary>400 detail for a payload that is not a JSON object.</summary>
    public const string InvalidJsonDetail = "invalid JSON data";

    private readonly NormalizationOptions _options = options ?? NormalizationOptions.Default;

    /// <summary>Parses and normalizes an event payload.</summary>
    /// <remarks>
    /// Lone UTF-16 surrogates become U+FFFD and values nested deeper than <see cref="EventDepth.MaxValues"/>
    /// are removed, both noted in <c>_meta</c> (see <see cref="EventJsonReader"/>).
    /// </remarks>
    /// <exception cref="IngestException">400 <c>invalid JSON data</c> for malformed JSON, invalid UTF-8,
    /// duplicate keys, or a non-object.</exception>
    public JsonObject Normalize(ReadOnlyMemory<byte> json, NormalizationContext context)
    {
        // The reader decodes strings itself, trusting that they are valid UTF-8: check once, up front.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            throw IngestException.BadRequest(InvalidJsonDetail, "invalid UTF-8");
        }

        var meta = new MetaRecorder();
        return Normalize(EventJsonReader.ReadObject(json.Span, meta), context, meta);
    }

    /// <summary>Normalizes <paramref name="raw"/> in place and returns it.</summary>
    /// <exception cref="IngestException">400 when the object contains duplicate keys the parser deferred.</exception>
    public JsonObject Normalize(JsonObject raw, NormalizationContext context)
    {
        try
        {
            // Materializes the lazily parsed object; duplicate keys surface here.
            _ = raw.Count;
        }
        catch (ArgumentException e)
        {
            throw new IngestException(400, InvalidJsonDetail, e, e.Message);
        }

        return Normalize(raw, context, new MetaRecorder());
    }

    private JsonObject Normalize(JsonObject raw, NormalizationContext context, MetaRecorder meta)
    {
        // Client-supplied _meta is not trusted (Relay keeps it only from trusted relays).
        raw.Remove("_meta");

        // One step per attribute or Sentry interface, in Relay's order (Interfaces/).
        NormalizeEventId(raw, context, meta);
        NormalizeTimestamps(_options, raw, context, meta);
        NormalizeAttributes(raw, meta);
        NormalizeLogEntry(_options, raw, meta);
        NormalizeTags(_options, raw, meta);
        NormalizeExceptions(_options, raw, meta);
        NormalizeThreads(_options, raw, meta);
        NormalizeTopLevelStacktrace(_options, raw, meta);
        NormalizeBreadcrumbs(_options, raw, meta);
        NormalizeUser(raw, context, meta);
        NormalizeContexts(raw, meta);
        NormalizeRequest(raw, context, meta);
        UserAgent.UserAgentContexts.Apply(raw); // browser, device and OS contexts from request.headers, as Relay
        NormalizeSdk(raw, context, meta);
        NormalizeBag(raw, "extra", meta, BagSize.Massive, BagSize.Larger);
        NormalizeBag(raw, "modules", meta, BagSize.Large, null);
        NormalizeFingerprint(raw, meta);
        NormalizeType(raw);

        raw["received"] = ToUnixSeconds(context.ReceivedAt);
        if (meta.Root is not null)
        {
            raw["_meta"] = meta.Root;
        }

        return raw;
    }

    // Kept here for the callers outside the steps (DatabagTrimmer, tests).
    internal static int KeepWholePairs(string text, int keep) => Interfaces.NormalizationFields.KeepWholePairs(text, keep);

    internal static DateTimeOffset AddClamped(DateTimeOffset value, TimeSpan delta) => Interfaces.TimestampNormalization.AddClamped(value, delta);
}
