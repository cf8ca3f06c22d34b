namespace Grains.Monitoring.Storage;

/// <summary>A non-event envelope item as the edge hands it to <see cref="IItemStore.StoreAsync"/>.</summary>
public sealed record StoredItem
{
    public required long ProjectId { get; init; }

    /// <summary>
    /// The event the item belongs to, 32 lowercase hex: the envelope's <c>event_id</c>, a user report's
    /// <c>event_id</c>, or feedback's <c>contexts.feedback.associated_event_id</c>; null when none.
    /// </summary>
    public string? EventId { get; init; }

    /// <summary>The item <c>type</c> as sent (wire name; unknown types keep theirs).</summary>
    public required string ItemType { get; init; }

    /// <summary>The data category wire name (e.g. <c>attachment</c>); null for unknown types, which are stored but not counted.</summary>
    public string? Category { get; init; }

    public string? Filename { get; init; }

    public string? ContentType { get; init; }

    /// <summary><c>attachment_type</c> (attachments; <c>event.attachment</c> when absent).</summary>
    public string? AttachmentType { get; init; }

    public required DateTimeOffset Received { get; init; }

    /// <summary>The outcome quantity in <see cref="Category"/>: bytes for attachments, the item count for containers, else 1.</summary>
    public long Quantity { get; init; } = 1;

    /// <summary>User reports and feedback: the reporter's name.</summary>
    public string? Name { get; init; }

    /// <summary>User reports and feedback: the reporter's email.</summary>
    public string? Email { get; init; }

    /// <summary>User reports and feedback: the comments (feedback's <c>message</c>).</summary>
    public string? Comments { get; init; }

    /// <summary>The payload exactly as received; the store compresses it (and bounds attachments).</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }
}
