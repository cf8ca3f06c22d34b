using System.Globalization;

namespace Grains.Runtime.Persistence;

/// <summary>
/// An in-process <see cref="IGrainStorage"/> for tests and single-process experiments. Nothing
/// survives the process. ETags are per-record version numbers that are never reused, as in the
/// durable providers.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string StateName, GrainId GrainId), Slot> _slots = [];

    /// <inheritdoc />
    public Task<GrainStateRecord?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_slots.TryGetValue((stateName, grainId), out var slot) && slot.Payload is { } payload
                ? new GrainStateRecord(payload, ETagOf(slot.Version))
                : null);
        }
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        cancellationToken.ThrowIfCancellationRequested();

        // Copied before taking the lock: the caller may reuse its buffer as soon as we return.
        var copy = payload.ToArray();
        lock (_lock)
        {
            _slots.TryGetValue((stateName, grainId), out var slot);
            Check(stateName, grainId, slot, expectedETag);
            var version = (slot?.Version ?? 0) + 1;
            _slots[(stateName, grainId)] = new Slot(version, copy);
            return Task.FromResult(ETagOf(version));
        }
    }

    /// <inheritdoc />
    public Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _slots.TryGetValue((stateName, grainId), out var slot);
            Check(stateName, grainId, slot, expectedETag);
            if (slot?.Payload is not null)
            {
                // A tombstone keeps the version so a later "create" continues the sequence and a stale
                // activation holding an ETag from before the clear can never match again.
                _slots[(stateName, grainId)] = new Slot(slot.Version + 1, null);
            }

            return Task.CompletedTask;
        }
    }

    private static void Check(string stateName, GrainId grainId, Slot? slot, string? expectedETag)
    {
        var storedETag = slot?.Payload is null ? null : ETagOf(slot.Version);
        if (!string.Equals(storedETag, expectedETag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(stateName, grainId, expectedETag, storedETag);
        }
    }

    private static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>A stored version; <see cref="Payload"/> is <c>null</c> once cleared.</summary>
    private sealed record Slot(long Version, byte[]? Payload);
}
