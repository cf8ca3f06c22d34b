namespace Grains.Ingestion.Normalization;

/// <summary>
/// The one nesting limit of event JSON. Every stored or streamed event document (the event with its
/// <c>_meta</c>) nests at most <see cref="Max"/> containers, so every reader and writer of event JSON
/// (normalization, the stream encoding, storage, the API) works with <see cref="Max"/> and none of
/// them can fail on depth. 64 is also System.Text.Json's default, so a reader with default options
/// reads any stored event.
/// </summary>
public static class EventDepth
{
    /// <summary>Maximum nesting of containers (objects and arrays, the root included) in event JSON.</summary>
    public const int Max = 64;

    /// <summary>
    /// Containers the event's own values may nest when parsed; deeper ones are removed and noted in
    /// <c>_meta</c>. The difference to <see cref="Max"/> is room for what normalization adds on top:
    /// up to 2 levels when a bare exception, thread or breadcrumb is wrapped in <c>{"values": […]}</c>,
    /// and the 5 levels a <c>_meta</c> note adds over the path it describes
    /// (<c>_meta</c>, path…, <c>""</c>, <c>rem</c>, remark).
    /// </summary>
    public const int MaxValues = Max - 8;
}
