namespace Grains.Runtime.Persistence;

/// <summary>
/// A grain state provider. Each record is addressed by (state name, grain id) and versioned by an
/// ETag: a write or clear succeeds only when the presented ETag equals the stored one (or both are
/// absent), which fences a stale activation from overwriting newer state.
/// </summary>
public interface IGrainStorage
{
    /// <summary>Reads a record; <c>null</c> when none exists.</summary>
    Task<GrainStateRecord?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a record when <paramref name="expectedETag"/> matches the stored version (<c>null</c>
    /// means "no record exists") and returns the new ETag. Completes only when the write is durable.
    /// </summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs from the expected one.</exception>
    Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Deletes a record when <paramref name="expectedETag"/> matches.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs from the expected one.</exception>
    Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default);
}
