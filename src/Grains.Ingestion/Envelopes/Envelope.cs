namespace Grains.Ingestion.Envelopes;

/// <summary>A parsed envelope: header plus items in wire order, unknown types included.</summary>
/// <remarks>Header and payload memory are slices of the request buffer and live only as long as it.</remarks>
public sealed class Envelope
{
    internal Envelope(EnvelopeHeader header, IReadOnlyList<EnvelopeItem> items)
    {
        Header = header;
        Items = items;
    }

    /// <summary>The envelope header.</summary>
    public EnvelopeHeader Header { get; }

    /// <summary>The items, in the order they were sent.</summary>
    public IReadOnlyList<EnvelopeItem> Items { get; }

    /// <summary>
    /// The id for the success response <c>{"id":…}</c>; <c>null</c> means answer <c>{}</c> (sessions,
    /// client reports, logs, …).
    /// </summary>
    public string? EventId => Header.EventId;

    /// <summary>
    /// The same envelope with only <paramref name="items"/> (a subset of <see cref="Items"/>, e.g. what
    /// is left after rate-limited items were dropped); the header is kept.
    /// </summary>
    public Envelope WithItems(IReadOnlyList<EnvelopeItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new Envelope(Header, items);
    }
}
