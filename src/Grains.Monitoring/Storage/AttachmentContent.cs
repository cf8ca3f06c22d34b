namespace Grains.Monitoring.Storage;

/// <summary>An attachment and its stored bytes (only the first <see cref="ItemRecord.StoredSize"/> bytes when truncated).</summary>
public sealed record AttachmentContent(ItemRecord Item, ReadOnlyMemory<byte> Data);
