namespace Grains.Monitoring.Storage;

/// <summary>A stored non-event item without its payload (see <see cref="IItemStore"/>).</summary>
public sealed record ItemRecord
{
    /// <summary>Assigned by the store; unique in the database and increasing in storage order.</summary>
    public required long Id { get; init; }

    public required long ProjectId { get; init; }

    /// <summary>The linked event, or null.</summary>
    public string? EventId { get; init; }

    /// <summary>The issue of the linked event when that event is stored (list queries only; null otherwise).</summary>
    public long? IssueId { get; init; }

    public required string ItemType { get; init; }

    public string? Category { get; init; }

    public string? Filename { get; init; }

    public string? ContentType { get; init; }

    public string? AttachmentType { get; init; }

    public required DateTimeOffset Received { get; init; }

    public long Quantity { get; init; }

    /// <summary>The payload's size as received, in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The bytes kept (less than <see cref="Size"/> when <see cref="Truncated"/>).</summary>
    public long StoredSize { get; init; }

    /// <summary>True when the store kept only the first <see cref="StoredSize"/> bytes of an attachment.</summary>
    public bool Truncated { get; init; }

    /// <summary>Lowercase hex SHA-1 of the payload as received.</summary>
    public required string Sha1 { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Comments { get; init; }
}
