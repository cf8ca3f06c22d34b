namespace Grains.Monitoring.Storage.Relational;

/// <summary>A non-event item ready for its row: classified, hashed, cut to the stored size and compressed when that helps.</summary>
/// <param name="Item">The item as received.</param>
/// <param name="Kind"><c>attachment</c>, <c>feedback</c> or <c>other</c> (the API's lists each read one kind).</param>
/// <param name="Sha1">Lowercase hex SHA-1 of the payload as received.</param>
/// <param name="StoredSize">The bytes kept (before compression).</param>
/// <param name="Encoding"><c>br</c> (Brotli) or <c>identity</c>.</param>
/// <param name="Payload">The stored bytes.</param>
public sealed record PreparedItem(StoredItem Item, string Kind, string Sha1, long StoredSize, string Encoding, byte[] Payload)
{
    /// <summary>Whether only part of the payload is kept.</summary>
    public bool Truncated => StoredSize < Item.Payload.Length;
}
