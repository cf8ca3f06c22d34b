namespace Grains.Runtime.Streams;

/// <summary>Consecutive items of one stream, in offset order.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Items">The items, oldest first.</param>
public sealed record StreamBatch(StreamId Stream, IReadOnlyList<StreamItem> Items);
