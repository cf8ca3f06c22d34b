namespace Grains.Runtime.Persistence;

/// <summary>A stored grain state: its serialized payload and the ETag of that version.</summary>
/// <param name="Payload">The serialized state (UTF-8 JSON).</param>
/// <param name="ETag">The version tag; a write must present it to replace this version.</param>
public sealed record GrainStateRecord(ReadOnlyMemory<byte> Payload, string ETag);
