using System.Security.Cryptography;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// What <see cref="IItemStore.StoreAsync"/> writes, prepared on the caller's thread: the item rows,
/// and (<see cref="OutcomesOf"/>) the hourly accepted outcomes the rows that were stored add, summed
/// per project, category and hour, in a fixed order so concurrent writers lock outcome rows in the same order.
/// </summary>
/// <remarks>
/// An attachment whose event already has an attachment of the same filename and content (an SDK
/// retrying the envelope) is not stored again, by the unique index of the items schema; it is not
/// counted again either, as Sentry drops a retried event with its attachments.
/// </remarks>
public sealed class PreparedItems
{
    public const string KindAttachment = "attachment";
    public const string KindFeedback = "feedback";
    public const string KindOther = "other";
    public const string EncodingBrotli = "br";
    public const string EncodingIdentity = "identity";

    /// <summary>The outcome the store counts (the only one today).</summary>
    public const string Accepted = "accepted";

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

    /// <summary>
    /// The accepted quantities the <paramref name="stored"/> rows add, per (project, category, hour
    /// start in unix seconds), ordered by that key. Rows the store skipped as duplicates are left out.
    /// </summary>
    public static IReadOnlyList<(long ProjectId, string Category, long HourStart, long Quantity)> OutcomesOf(IEnumerable<PreparedItem> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var outcomes = new SortedDictionary<(long ProjectId, string Category, long HourStart), long>(OutcomeKeyComparer.Instance);
        foreach (var row in stored)
        {
            var item = row.Item;
            if (item.Category is { } category)
            {
                var hour = StoreTime.HourStart(item.Received);
                Count(outcomes, (item.ProjectId, category, hour), item.Quantity);

                // Relay counts an attachment twice: its bytes in `attachment`, and one in `attachment_item`.
                if (item.ItemType == KindAttachment)
                {
                    Count(outcomes, (item.ProjectId, "attachment_item", hour), 1);
                }
            }
        }

        return outcomes.Select(o => (o.Key.ProjectId, o.Key.Category, o.Key.HourStart, o.Value)).ToArray();
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

    private static void Count(SortedDictionary<(long, string, long), long> outcomes, (long, string, long) key, long quantity) =>
        outcomes[key] = outcomes.GetValueOrDefault(key) + quantity;

    private sealed class OutcomeKeyComparer : IComparer<(long ProjectId, string Category, long HourStart)>
    {
        public static OutcomeKeyComparer Instance { get; } = new();

        public int Compare((long ProjectId, string Category, long HourStart) x, (long ProjectId, string Category, long HourStart) y)
        {
            var c = x.ProjectId.CompareTo(y.ProjectId);
            if (c == 0)
            {
                c = string.CompareOrdinal(x.Category, y.Category);
            }

            return c != 0 ? c : x.HourStart.CompareTo(y.HourStart);
        }
    }
}
