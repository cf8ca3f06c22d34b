using System.Buffers;

namespace Grains.Ingestion.Body;

/// <summary>
/// A decoded request body in an <see cref="ArrayPool{T}"/> array. The owner must dispose it once the
/// parsed envelope (whose item payloads are slices of <see cref="Memory"/>) is no longer needed.
/// </summary>
public sealed class PooledBuffer : IDisposable
{
    private byte[]? _array;

    internal PooledBuffer(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    /// <summary>Number of valid bytes.</summary>
    public int Length { get; }

    /// <summary>The valid bytes.</summary>
    public ReadOnlyMemory<byte> Memory =>
        new(_array ?? throw new ObjectDisposedException(nameof(PooledBuffer)), 0, Length);

    /// <summary>The valid bytes as a span.</summary>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
