using Grains.Ingestion.Body;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Errors;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;

namespace Grains.Server.Outcomes;

/// <summary>
/// The ingest edge's accounting: what it accepted (events once durably appended, items once stored),
/// what it rejected as invalid once the project was known (with Relay's reason codes), and the
/// outcomes SDKs report in <c>client_report</c> items. Each becomes an <see cref="OutcomeEvent"/> for
/// the <see cref="IOutcomeRecorder"/>.
/// </summary>
/// <remarks>
/// Categories and quantities as Relay counts them: an event in <c>error</c>, <c>default</c> (a message
/// without exception) or <c>security</c> by its type; an attachment's bytes in <c>attachment</c> and one in
/// <c>attachment_item</c>; a container (logs, spans, metrics) its <c>item_count</c>. A <c>client_report</c>
/// is not itself counted (Relay turns it into the outcomes it carries). Requests rejected before the
/// key is known (bad auth) or whose items cannot be read at all (an unreadable body or envelope
/// header) are not counted: there is no project, or nothing to count, as in Relay.
/// </remarks>
public sealed class IngestOutcomes(IOutcomeRecorder recorder)
{
    /// <summary>Relay's <c>DiscardReason</c> names used by the edge.</summary>
    public static class Reasons
    {
        public const string InvalidJson = "invalid_json";
        public const string InvalidEnvelope = "invalid_envelope";
        public const string InvalidCompression = "invalid_compression";
        public const string RequestTooLarge = "request_too_large";
        public const string Payload = "payload";
        public const string TooLargePrefix = "too_large:";
    }

    private const string SizeLimitPrefix = "envelope exceeded size limits for type '";

    /// <summary>
    /// Remembers, for the request, whose items a rejection would count: the key once authorized, and the
    /// envelope once parsed and matched to the key (<paramref name="store"/>: a store request's one event).
    /// </summary>
    public static void Track(HttpContext http, ResolvedKey key, Envelope? envelope, bool store)
    {
        ArgumentNullException.ThrowIfNull(http);
        var scope = http.Features.Get<Scope>();
        if (scope is null)
        {
            scope = new Scope();
            http.Features.Set(scope);
        }

        scope.Key = key;
        scope.Envelope = envelope;
        scope.Store = store;
    }

    /// <summary>Counts what the edge accepted: the events once durable, and the client reports' outcomes.</summary>
    public void Accepted(ResolvedKey key, Envelope? envelope, IReadOnlyList<EventContext> events, DateTimeOffset at)
    {
        AcceptedEvents(events, at);
        if (envelope is not null)
        {
            ClientReports(key, envelope, at);
        }
    }

    /// <summary>Counts a rejection of the request as <see cref="Rejected(ResolvedKey, Envelope?, bool, IngestException, DateTimeOffset)"/> does, if its key was known (<see cref="Track"/>).</summary>
    public void Rejected(HttpContext http, IngestException error, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Features.Get<Scope>() is { Key: { } key } scope)
        {
            Rejected(key, scope.Envelope, scope.Store, error, at);
        }
    }

    /// <summary>Counts the events of an envelope (or a store request) as accepted; call once their durable append succeeded.</summary>
    public void AcceptedEvents(IReadOnlyList<EventContext> events, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var context in events)
        {
            var key = context.Key;
            recorder.Record(new OutcomeEvent(key.Project.OrganizationId, key.Project.Id, key.Key.PublicKey,
                EventCategory(context.Facts?.Type), OutcomeKind.Accepted, null, 1, at));
        }
    }

    /// <summary>Counts stored items as accepted (a retried attachment the store skipped is not among them).</summary>
    public void AcceptedItems(ResolvedKey key, IReadOnlyList<StoredItem> stored, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var item in stored)
        {
            if (item.Category is not { } category || category == DataCategory.Internal.Name)
            {
                continue;
            }

            Record(key, new DataCategory(category), OutcomeKind.Accepted, null, item.Quantity, at);
            if (category == DataCategory.Attachment.Name)
            {
                Record(key, OutcomeCategories.AttachmentItem, OutcomeKind.Accepted, null, 1, at);
            }
        }
    }

    /// <summary>The outcomes the envelope's <c>client_report</c> items carry, at the report's own time.</summary>
    public void ClientReports(ResolvedKey key, Envelope envelope, DateTimeOffset received)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(envelope);
        foreach (var item in envelope.Items)
        {
            if (item.ItemType != EnvelopeItemType.ClientReport)
            {
                continue;
            }

            var (outcomes, at) = ClientReportParser.Parse(item.Payload.Span, received);
            foreach (var outcome in outcomes)
            {
                Record(key, outcome.Category, outcome.Outcome, outcome.Reason, outcome.Quantity, at);
            }
        }
    }

    /// <summary>
    /// Counts as <c>invalid</c> what a rejected request carried: every item of <paramref name="envelope"/>
    /// when it was parsed (the whole envelope is rejected, as Relay rejects it), the one event of a store
    /// request, or the item an envelope's size limit named. Server errors and overload (5xx) are not
    /// outcomes: the SDK sends again.
    /// </summary>
    public void Rejected(ResolvedKey key, Envelope? envelope, bool store, IngestException error, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(error);
        if (error.StatusCode is < 400 or >= 500 || error.Detail is EnvelopeParser.EmptyBodyDetail)
        {
            return;
        }

        var reason = ReasonOf(error);
        if (envelope is not null)
        {
            foreach (var item in envelope.Items)
            {
                if (item.Category is not { } category || item.ItemType == EnvelopeItemType.ClientReport)
                {
                    continue;
                }

                Record(key, category, OutcomeKind.Invalid, reason, item.Quantity, at);
                if (item.ItemType == EnvelopeItemType.Attachment)
                {
                    Record(key, OutcomeCategories.AttachmentItem, OutcomeKind.Invalid, reason, 1, at);
                }
            }
        }
        else if (store)
        {
            Record(key, DataCategory.Error, OutcomeKind.Invalid, reason, 1, at);
        }
        else if (SizeLimitedType(error) is { } type)
        {
            // The parser stopped at the item over its limit: that one is known, by its type only.
            var attachment = type.StartsWith("event.", StringComparison.Ordinal);
            var category = attachment ? OutcomeCategories.AttachmentItem : EnvelopeItemTypes.CategoryOf(EnvelopeItemTypes.Parse(type), null);
            if (category is { } known)
            {
                Record(key, known, OutcomeKind.Invalid, reason, 1, at);
            }
        }
    }

    /// <summary>Relay's reason for an edge error (see <see cref="Reasons"/>).</summary>
    public static string ReasonOf(IngestException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (SizeLimitedType(error) is { } type)
        {
            return Reasons.TooLargePrefix + DiscardItemType(type);
        }

        return (error.StatusCode, error.Detail) switch
        {
            (413, _) => Reasons.RequestTooLarge,
            (415, _) or (_, BodyReader.ReadFailedDetail) => Reasons.InvalidCompression,
            (_, EventNormalizer.InvalidJsonDetail) => Reasons.InvalidJson,
            (_, EnvelopeParser.InvalidEnvelopeDetail) => Reasons.InvalidEnvelope,
            _ => Reasons.Payload,
        };
    }

    private static string? SizeLimitedType(IngestException error)
    {
        var detail = error.Detail;
        if (error.StatusCode != 413 || !detail.StartsWith(SizeLimitPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = detail.IndexOf('\'', SizeLimitPrefix.Length);
        return end < 0 ? null : detail[SizeLimitPrefix.Length..end];
    }

    /// <summary>Relay's <c>DiscardItemType</c> name: the item type, or <c>attachment:&lt;kind&gt;</c> for an attachment type.</summary>
    private static string DiscardItemType(string type) => type switch
    {
        "event.minidump" => "attachment:minidump",
        "event.applecrashreport" => "attachment:apple_crash_report",
        "event.payload" => "attachment:event_payload",
        "event.breadcrumbs" => "attachment:breadcrumbs",
        "event.view_hierarchy" => "attachment:view_hierarchy",
        "unreal.context" => "attachment:unreal_context",
        "unreal.logs" => "attachment:unreal_logs",
        _ when type.StartsWith("event.", StringComparison.Ordinal) => "attachment:attachment",
        _ when EnvelopeItemTypes.Parse(type) != EnvelopeItemType.Unknown => type,
        _ => "unknown",
    };

    /// <summary>Relay's category of an event by its type: <c>default</c> for message events, <c>security</c> for reports.</summary>
    private static DataCategory EventCategory(string? type) => type switch
    {
        "default" => DataCategory.Default,
        "csp" or "hpkp" or "expectct" or "expectstaple" or "nel" => DataCategory.Security,
        "transaction" => DataCategory.Transaction,
        _ => DataCategory.Error,
    };

    private void Record(ResolvedKey key, DataCategory category, OutcomeKind outcome, string? reason, long quantity, DateTimeOffset at) =>
        recorder.Record(new OutcomeEvent(key.Project.OrganizationId, key.Project.Id, key.Key.PublicKey, category, outcome, reason, quantity, at));

    /// <summary>The request's tracked key and envelope (an HTTP feature).</summary>
    private sealed class Scope
    {
        public ResolvedKey? Key { get; set; }

        public Envelope? Envelope { get; set; }

        public bool Store { get; set; }
    }
}
