using System.Security.Cryptography;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// What <see cref="IItemStore.StoreAsync"/> writes, prepared on the caller's thread: the item rows.
/// </summary>
/// <remarks>
/// An attachment whose event already has an attachment of the same filename and content (an SDK
/// retrying the envelope) is not stored again, by the unique index of the items schema; the store
/// leaves it out of the items it reports stored, so it is not counted again either.
/// </remarks>
public sealed class PreparedItems
{
    public const string KindAttachment = "attachment";
    public const string KindFeedback = "feedback";
    public const string KindOther = "other";
    public const string EncodingBrotli = "br";
    public const string EncodingIdentity = "identity";

    private PreparedItems(IReadOnlyList<PreparedItem> rows) => Rows = rows;

    public IReadOnlyList<PreparedItem> Rows { get; }

    /// <exception cref="ArgumentException">An item is null or has no type.</exception>
    public static PreparedItems Prepare(IReadOnlyList<StoredItem> items, int maxAttachmentBytes)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = new PreparedItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new ArgumentException("An item is null.", nameof(items));
            rows[i] = Prepare(item, maxAttachmentBytes);
        }

        return new PreparedItems(rows);
    }

    private static PreparedItem Prepare(StoredItem item, int maxAttachmentBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(item.ItemType);
        var kind = item.ItemType switch
        {
            "attachment" => KindAttachment,
            "user_report" or "feedback" => KindFeedback,
            _ => KindOther,
        };

        var payload = item.Payload.Span;
        var sha1 = Convert.ToHexStringLower(SHA1.HashData(payload));
        var kept = kind == KindAttachment && payload.Length > maxAttachmentBytes ? payload[..maxAttachmentBytes] : payload;

        // Already-compressed attachments (images, archives, minidumps) do not shrink: keep them raw.
        var compressed = EventPayload.Compress(kept);
        return compressed.Length < kept.Length
            ? new PreparedItem(item, kind, sha1, kept.Length, EncodingBrotli, compressed)
            : new PreparedItem(item, kind, sha1, kept.Length, EncodingIdentity, kept.ToArray());
    }
}
