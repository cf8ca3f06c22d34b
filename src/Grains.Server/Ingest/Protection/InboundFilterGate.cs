using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Filters;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Projects;

namespace Grains.Server.Ingest.Protection;

/// <summary>
/// The inbound filters at the edge, after parsing and before rate limits (so a filtered event consumes
/// no quota): each event is normalized and checked against its project's compiled
/// <see cref="InboundFilters"/> (cached with the DSN key). A filtered event leaves the envelope with the
/// items that belong to it (attachments, user reports), is counted only as a <c>filtered</c> outcome
/// with Relay's reason, and the request is still answered 200 with the event's id, as Relay does.
/// </summary>
/// <remarks>
/// A project without filters costs one check per request. With filters, the event is normalized here
/// and again in the pipeline: normalization is what makes <c>user.ip_address</c>, headers and
/// exceptions readable the way Relay's filters read them. An event that fails to normalize is left
/// to the pipeline, which answers it 400.
/// </remarks>
public sealed class InboundFilterGate(EventNormalizer normalizer, ClientAddressResolver clients, IOutcomeRecorder outcomes, TimeProvider time, ILogger<InboundFilterGate> logger)
{
    /// <summary>The name of the filters' Meter.</summary>
    public const string InstrumentationName = "Grains.Filters";

    private static readonly Meter Meter = new(InstrumentationName);
    private static readonly Counter<long> Filtered = Meter.CreateCounter<long>("grains.ingest.filtered", "{event}", "Events dropped by inbound filters, by reason.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("grains.ingest.filter.duration", "s", "Time to normalize and filter one event of a project with inbound filters.");

    /// <summary>The request's client address (<see cref="ClientAddressResolver"/>).</summary>
    public System.Net.IPAddress? ClientAddress(HttpContext http) => clients.Resolve(http);

    /// <summary>The envelope without its filtered events and their items; the same envelope when nothing was filtered.</summary>
    public Envelope FilterEnvelope(HttpContext http, ResolvedKey key, Envelope envelope)
    {
        if (key.Filters.IsEmpty || !envelope.Items.Any(i => i.ItemType == EnvelopeItemType.Event))
        {
            return envelope;
        }

        var now = time.GetUtcNow();
        var context = new NormalizationContext(now, clients.Resolve(http), envelope.EventId, envelope.Header.SentAt, envelope.Header.SdkName, envelope.Header.SdkVersion);
        string? reason = null;
        DataCategory category = DataCategory.Error;
        foreach (var item in envelope.Items)
        {
            if (item.ItemType == EnvelopeItemType.Event && Check(key, item.Payload, context, out category) is { } filtered)
            {
                reason = filtered;
                break;
            }
        }

        if (reason is null)
        {
            return envelope;
        }

        // An envelope carries one event: everything that belongs to it goes with it (Relay drops the envelope's event items together).
        var kept = new List<EnvelopeItem>();
        foreach (var item in envelope.Items)
        {
            if (item.ItemType is EnvelopeItemType.Event or EnvelopeItemType.Attachment or EnvelopeItemType.UserReport)
            {
                var itemCategory = item.ItemType == EnvelopeItemType.Event ? category : item.Category;
                if (itemCategory is { } counted)
                {
                    Record(key, counted, reason, item.Quantity, now);
                    if (item.ItemType == EnvelopeItemType.Attachment)
                    {
                        Record(key, OutcomeCategories.AttachmentItem, reason, 1, now);
                    }
                }
            }
            else
            {
                kept.Add(item);
            }
        }

        return envelope.WithItems(kept);
    }

    /// <summary>For a store request: the event's id when the event is filtered (answer 200 with it, store nothing), else null.</summary>
    public string? FilterStore(HttpContext http, ResolvedKey key, ReadOnlyMemory<byte> json)
    {
        if (key.Filters.IsEmpty)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var context = new NormalizationContext(now, clients.Resolve(http));
        if (Check(key, json, context, out var category, out var eventId) is not { } reason)
        {
            return null;
        }

        Record(key, category, reason, 1, now);
        return eventId;
    }

    private string? Check(ResolvedKey key, ReadOnlyMemory<byte> json, NormalizationContext context, out DataCategory category) =>
        Check(key, json, context, out category, out _);

    private string? Check(ResolvedKey key, ReadOnlyMemory<byte> json, NormalizationContext context, out DataCategory category, out string? eventId)
    {
        category = DataCategory.Error;
        eventId = null;
        var started = Stopwatch.GetTimestamp();
        JsonObject normalized;
        try
        {
            normalized = normalizer.Normalize(json, context);
        }
        catch (Exception exception) when (exception is InvalidDataException or Grains.Ingestion.Errors.IngestException)
        {
            return null;
        }

        eventId = FilterEvent.Text(normalized["event_id"]);
        category = FilterEvent.Text(normalized["type"]) == "default" ? DataCategory.Default : DataCategory.Error;
        var reason = key.Filters.Evaluate(new FilterEvent(normalized, context.ClientIp));
        Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (reason is not null)
        {
            Filtered.Add(1, new KeyValuePair<string, object?>("reason", reason));
            LogFiltered(key.Project.Id, reason);
        }

        return reason;
    }

    private void Record(ResolvedKey key, DataCategory category, string reason, long quantity, DateTimeOffset at) =>
        outcomes.Record(new OutcomeEvent(key.Project.OrganizationId, key.Project.Id, key.Key.PublicKey, category, OutcomeKind.Filtered, reason, quantity, at));

    private void LogFiltered(long projectId, string reason)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Event of project {ProjectId} filtered: {Reason}", projectId, reason);
        }
    }
}
