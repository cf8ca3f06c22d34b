namespace Grains.Runtime.Streams;

/// <summary>A delivered stream item.</summary>
/// <param name="Offset">Its offset in its partition; increases with every item the same grain receives.</param>
/// <param name="Payload">The item as appended.</param>
/// <param name="AppendedAt">When it became durable.</param>
public sealed record StreamItem(long Offset, ReadOnlyMemory<byte> Payload, DateTimeOffset AppendedAt);
