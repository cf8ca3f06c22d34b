namespace Grains.Monitoring.Storage;

/// <summary>
/// Every envelope item that is not an <c>event</c> (attachments, user reports, feedback, transactions,
/// sessions, client reports, logs, spans, check-ins, unknown types …): stored raw and compressed,
/// linked to an event where the item names one. Their outcomes are counted by the caller
/// (<see cref="Outcomes.IOutcomeRecorder"/>) for the items this store reports stored.
/// </summary>
/// <remarks>
/// Items are linked to issues through their event id at query time (the event may be processed
/// after its attachments and reports were stored), so a report for an event that is not (yet)
/// stored has no issue.
/// </remarks>
public interface IItemStore
{
    /// <summary>
    /// Stores <paramref name="items"/> in one durable write: on completion every item is on disk, or none
    /// is. Attachment payloads above <see cref="ItemStoreOptions.MaxStoredAttachmentBytes"/> are cut and
    /// marked truncated. An attachment whose event already has one of the same filename and content (an
    /// SDK retrying the envelope) is skipped. Returns the items stored (all but the skipped ones), in order.
    /// </summary>
    /// <remarks>Payloads are copied (compressed) before this returns: the caller may release their memory once the task completes.</remarks>
    Task<IReadOnlyList<StoredItem>> StoreAsync(IReadOnlyList<StoredItem> items, CancellationToken cancellationToken = default);

    /// <summary>The attachments, user reports and feedback linked to an event, oldest first (no payloads).</summary>
    Task<IReadOnlyList<ItemRecord>> ListByEventAsync(long projectId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A project's <c>user_report</c> and <c>feedback</c> items, newest first; <paramref name="cursor"/>
    /// is the opaque value of a previous page's <see cref="ItemPage.NextCursor"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The cursor was not issued by this store.</exception>
    Task<ItemPage> ListFeedbackAsync(long projectId, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>The <c>user_report</c> and <c>feedback</c> items whose event belongs to <paramref name="issueId"/>, newest first.</summary>
    /// <exception cref="ArgumentException">The cursor was not issued by this store.</exception>
    Task<ItemPage> ListFeedbackByIssueAsync(long projectId, long issueId, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>An attachment of an event with its stored bytes, or null when the event has no such attachment.</summary>
    Task<AttachmentContent?> GetAttachmentAsync(long projectId, string eventId, long attachmentId, CancellationToken cancellationToken = default);

}
