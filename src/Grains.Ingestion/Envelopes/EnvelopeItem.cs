using System.Text.Json.Nodes;

namespace Grains.Ingestion.Envelopes;

/// <summary>One item of an envelope: its header fields and payload bytes (reference §3.3).</summary>
/// <remarks><see cref="RawHeader"/> and <see cref="Payload"/> are slices of the request buffer.</remarks>
public sealed class EnvelopeItem
{
    internal EnvelopeItem(string type, ReadOnlyMemory<byte> rawHeader, ReadOnlyMemory<byte> payload, ItemHeaderFields fields)
    {
        Type = type;
        ItemType = EnvelopeItemTypes.Parse(type);
        RawHeader = rawHeader;
        Payload = payload;
        DeclaredLength = fields.Length;
        ContentType = fields.ContentType;
        Filename = fields.Filename;
        AttachmentType = fields.AttachmentType;
        ItemCount = fields.ItemCount;
        Platform = fields.Platform;
        Category = EnvelopeItemTypes.CategoryOf(ItemType, Platform);
    }

    /// <summary>The <c>type</c> exactly as sent (unknown types keep their name).</summary>
    public string Type { get; }

    /// <summary>The parsed type; <see cref="EnvelopeItemType.Unknown"/> for types this edge does not know.</summary>
    public EnvelopeItemType ItemType { get; }

    /// <summary><c>length</c>, when the client declared it.</summary>
    public int? DeclaredLength { get; }

    /// <summary><c>content_type</c>.</summary>
    public string? ContentType { get; }

    /// <summary><c>filename</c> (attachments).</summary>
    public string? Filename { get; }

    /// <summary><c>attachment_type</c>; <c>event.attachment</c> is the default when absent.</summary>
    public string? AttachmentType { get; }

    /// <summary><c>item_count</c> (container items: log, trace_metric, span).</summary>
    public int? ItemCount { get; }

    /// <summary><c>platform</c> (profile chunks).</summary>
    public string? Platform { get; }

    /// <summary>The item header JSON as received.</summary>
    public ReadOnlyMemory<byte> RawHeader { get; }

    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Outcome / rate-limit category, or <c>null</c> for unknown types (never counted).</summary>
    public DataCategory? Category { get; }

    /// <summary>
    /// Outcome quantity in <see cref="Category"/>: bytes for attachments, <see cref="ItemCount"/> for
    /// containers, otherwise 1.
    /// </summary>
    public long Quantity => ItemType switch
    {
        EnvelopeItemType.Attachment => Payload.Length,
        EnvelopeItemType.Log or EnvelopeItemType.TraceMetric or EnvelopeItemType.Span => ItemCount ?? 1,
        _ => 1,
    };

    /// <summary>True for a container item (has <c>item_count</c>).</summary>
    public bool IsContainer => ItemCount is not null;

    /// <summary>All header fields as a new object.</summary>
    public JsonObject ParseHeaders() => JsonNode.Parse(RawHeader.Span)!.AsObject();
}
