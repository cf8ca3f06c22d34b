using System.Buffers;

namespace Grains.Ingestion.Body;

/// <summary>
/// A decoded request body. The owner must dispose it once the parsed envelope (whose item payloads
/// are slices of <see cref="Memory"/>) is no longer needed: small arrays go back to the
/// <see cref="ArrayPool{T}"/>, large ones are dropped for the GC (the shared pool would keep them
/// for good), and the reservation in the <see cref="InflationBudget"/> is given back.
/// </summary>
public sealed class PooledBuffer : IDisposable
{
    private readonly bool _pooled;
    private readonly InflationBudget? _budget;
    private readonly long _reserved;
    private readonly object? _holder;
    private byte[]? _array;

    internal PooledBuffer(byte[] array, int length, bool pooled, InflationBudget? budget, long reserved, object? holder)
    {
        _holder = holder;
        _array = array;
        Length = length;
        _pooled = pooled;
        _budget = budget;
        _reserved = reserved;
    }

    /// <summary>Number of valid bytes.</summary>
    public int Length { get; }

    /// <summary>The valid bytes.</summary>
    public ReadOnlyMemory<byte> Memory =>
        new(_array ?? throw new ObjectDisposedException(nameof(PooledBuffer)), 0, Length);

    /// <summary>The valid bytes as a span.</summary>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>Returns the array to the pool (or to the GC) and the reservation to the budget.</summary>
    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is null)
        {
            return;
        }

        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        if (_budget is not null)
        {
            _budget.Release(_reserved, large: !_pooled);
            _budget.Finish(_holder!);
        }
    }
}
