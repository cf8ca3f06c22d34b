namespace Grains.Monitoring.Storage;

/// <summary>Bounds for <see cref="IItemStore"/>.</summary>
public sealed class ItemStoreOptions
{
    /// <summary>The default <see cref="MaxStoredAttachmentBytes"/>: 10 MiB.</summary>
    public const int DefaultMaxStoredAttachmentBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The most bytes kept per attachment; the rest is dropped and the item marked truncated. Relay
    /// accepts attachments up to 200 MiB, far more than an embedded database should hold per file.
    /// </summary>
    public int MaxStoredAttachmentBytes { get; init; } = DefaultMaxStoredAttachmentBytes;
}
