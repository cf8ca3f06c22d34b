using System.Text.Json;
using Grains.Ingestion.Envelopes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Outcomes;

namespace Grains.Server.Ingest;

/// <summary>
/// Stores every non-<c>event</c> item of an accepted envelope (attachments, user reports, feedback,
/// transactions, sessions, client reports, logs, spans, check-ins …; unknown types are dropped) with its data
/// category and quantity, in one durable write, then counts the items stored as accepted outcomes
/// (<see cref="IngestOutcomes.AcceptedItems"/>; an attachment an SDK sent again is skipped by the store and not counted).
/// </summary>
/// <remarks>
/// Links: an item belongs to the envelope's <c>event_id</c>, except a <c>user_report</c> (its own
/// <c>event_id</c>, else the envelope's) and <c>feedback</c> (<c>contexts.feedback.associated_event_id</c>,
/// else none: the envelope's id is the feedback's own). A payload that is not the JSON its type
/// promises is still stored raw, without the reporter fields: Relay accepts it too and the client
/// gets its 200.
/// </remarks>
public sealed class ItemRecorder(IItemStore store, IngestOutcomes outcomes)
{
    // Sentry's UserReport column sizes: longer values are cut, not rejected.
    private const int MaxName = 128;
    private const int MaxEmail = 75;
    private const int MaxComments = 4096;

    private const string DefaultAttachmentType = "event.attachment";

    /// <summary>
    /// Stores the envelope's non-event items; completes once they are durable. Costs nothing (no
    /// write) for an envelope of events only, the hot path.
    /// </summary>
    public async Task RecordAsync(ResolvedKey key, Envelope envelope, DateTimeOffset received, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(envelope);
        List<StoredItem>? items = null;
        foreach (var item in envelope.Items)
        {
            // Unknown types are dropped, as Relay drops them: nothing reads them back.
            if (item.ItemType is not (EnvelopeItemType.Event or EnvelopeItemType.Unknown))
            {
                (items ??= []).Add(ToStoredItem(key.Project.Id, envelope.EventId, item, received));
            }
        }

        if (items is not null)
        {
            outcomes.AcceptedItems(key, await store.StoreAsync(items, ct), received);
        }
    }

    private static StoredItem ToStoredItem(long projectId, string? envelopeEventId, EnvelopeItem item, DateTimeOffset received)
    {
        var stored = new StoredItem
        {
            ProjectId = projectId,
            EventId = envelopeEventId,
            ItemType = item.Type,
            Category = item.Category?.Name,
            Filename = item.Filename,
            ContentType = item.ContentType,
            AttachmentType = item.ItemType == EnvelopeItemType.Attachment ? item.AttachmentType ?? DefaultAttachmentType : item.AttachmentType,
            Received = received,
            Quantity = item.Quantity,
            Payload = item.Payload,
        };

        try
        {
            return item.ItemType switch
            {
                EnvelopeItemType.UserReport => WithUserReport(stored, item.Payload.Span),
                EnvelopeItemType.Feedback => WithFeedback(stored, item.Payload.Span),
                _ => stored,
            };
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Malformed JSON or invalid UTF-8 in a string: keep the raw item, without reporter fields or link.
            return item.ItemType == EnvelopeItemType.Feedback ? stored with { EventId = null } : stored;
        }
    }

    /// <summary>Legacy user report (reference §8): <c>{event_id, name, email, comments}</c>.</summary>
    private static StoredItem WithUserReport(StoredItem stored, ReadOnlySpan<byte> payload)
    {
        using var document = TryParse(payload);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } report)
        {
            return stored;
        }

        return stored with
        {
            EventId = NormalizeEventId(String(report, "event_id")) ?? stored.EventId,
            Name = Cut(String(report, "name"), MaxName),
            Email = Cut(String(report, "email"), MaxEmail),
            Comments = Cut(String(report, "comments"), MaxComments),
        };
    }

    /// <summary>Feedback (UserReportV2): an event whose <c>contexts.feedback</c> carries message, contact and the associated event.</summary>
    private static StoredItem WithFeedback(StoredItem stored, ReadOnlySpan<byte> payload)
    {
        using var document = TryParse(payload);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } feedbackEvent)
        {
            return stored with { EventId = null };
        }

        var feedback = Child(Child(feedbackEvent, "contexts"), "feedback");
        var user = Child(feedbackEvent, "user");

        // The SDKs fill contact_email and name from the scope's user when the form leaves them empty; older ones do not.
        return stored with
        {
            EventId = NormalizeEventId(String(feedback, "associated_event_id")),
            Name = Cut(String(feedback, "name") ?? String(user, "name") ?? String(user, "username"), MaxName),
            Email = Cut(String(feedback, "contact_email") ?? String(user, "email"), MaxEmail),
            Comments = Cut(String(feedback, "message"), MaxComments),
        };
    }

    private static JsonDocument? TryParse(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
        return JsonDocument.TryParseValue(ref reader, out var document) ? document : null;
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? String(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    /// <summary>Any UUID spelling becomes 32 lowercase hex, as event ids are stored; anything else is no link.</summary>
    private static string? NormalizeEventId(string? value) =>
        value is { Length: <= 38 } && Guid.TryParse(value, out var guid) ? guid.ToString("N") : null;
}
