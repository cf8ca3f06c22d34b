namespace Grains.Monitoring.Storage;

/// <summary>An accepted event as the event store keeps it.</summary>
public sealed record StoredEvent
{
    public required long ProjectId { get; init; }

    /// <summary>32 lowercase hex characters.</summary>
    public required string EventId { get; init; }

    public required long IssueId { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required DateTimeOffset Received { get; init; }

    /// <summary>The stream offset it was processed from: a redelivery of the same item is not a duplicate.</summary>
    public long StreamOffset { get; init; }

    public string Title { get; init; } = "";

    public string Message { get; init; } = "";

    public string Platform { get; init; } = "other";

    /// <summary><c>error</c> or <c>default</c>.</summary>
    public string Type { get; init; } = "error";

    /// <summary>
    /// The normalized event (with grouping info and hashes), UTF-8 JSON; the store compresses it. Empty
    /// on an append that gives <see cref="CompressedJson"/> instead; always set on what a store reads.
    /// </summary>
    public required ReadOnlyMemory<byte> Json { get; init; }

    /// <summary>
    /// On an append, the event JSON already compressed (by the edge, in the stream item): the store writes
    /// these bytes without compressing again, and ignores <see cref="Json"/>. Null on what a store reads.
    /// </summary>
    public CompressedEventJson? CompressedJson { get; init; }
}
