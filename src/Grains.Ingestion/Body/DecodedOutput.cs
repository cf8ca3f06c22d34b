using System.Buffers;
using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Body;

/// <summary>
/// The growable buffer a body is decoded into. It refuses to grow past the decoded limit and reserves
/// each growth in the <see cref="InflationBudget"/> first. Buffers up to <see cref="MaxPooledSize"/>
/// come from <see cref="ArrayPool{T}.Shared"/>; larger ones are plain arrays, because the shared pool
/// keeps what it is given back (a burst of 200 MiB bodies would stay resident for good) while a plain
/// array is memory the GC can return to the system.
/// </summary>
internal sealed class DecodedOutput : IDisposable
{
    /// <summary>
    /// Largest buffer taken from the shared pool: events are mostly well under it. The shared pool
    /// keeps up to 32 arrays per size per core, so pooling larger sizes (up to 1 MiB) left ~100 MB
    /// resident after a burst (bench/results/memory.md).
    /// </summary>
    public const int MaxPooledSize = 64 * 1024;

    private readonly int _limit;
    private readonly InflationBudget? _budget;
    private byte[]? _array;
    private bool _pooled;
    private long _reserved;

    public DecodedOutput(int initialCapacity, int limit, InflationBudget? budget)
    {
        _limit = limit;
        _budget = budget;

        // The first buffer is small (16 KiB at most) and never waits: even an unauthenticated request
        // must be able to read its envelope header.
        budget?.Reserve(initialCapacity);
        _reserved = initialCapacity;
        (_array, _pooled) = Allocate(initialCapacity);
    }

    public int Length { get; private set; }

    public int Capacity => _array!.Length;

    public ReadOnlySpan<byte> Written => _array.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Length);

    /// <summary>The free space after the written bytes, growing the buffer first when it is full.</summary>
    public async ValueTask<Memory<byte>> FreeMemoryAsync(CancellationToken cancellationToken)
    {
        if (Length == _array!.Length)
        {
            // Capacity limit + 1 lets the read that crosses the limit be detected.
            var size = (int)Math.Min(Math.Max(_array.Length * 2L, 16 * 1024), _limit + 1L);
            if (size <= _array.Length)
            {
                throw BodyReader.TooLarge();
            }

            await GrowAsync(size, cancellationToken).ConfigureAwait(false);
        }

        return _array.AsMemory(Length);
    }

    /// <summary>Grows to <paramref name="capacity"/> at once (a declared <c>Content-Length</c>).</summary>
    public async ValueTask EnsureCapacityAsync(int capacity, CancellationToken cancellationToken)
    {
        if (capacity > _array!.Length)
        {
            await GrowAsync(Math.Min(capacity, _limit + 1), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Advance(int count)
    {
        Length += count;
        _budget?.CountDecoded(count);

        // One byte beyond the limit is enough to know the body is too large; stop right there.
        if (Length > _limit)
        {
            throw BodyReader.TooLarge();
        }
    }

    public PooledBuffer Detach()
    {
        var result = new PooledBuffer(_array!, Length, _pooled, _budget, _reserved, holder: this);
        _array = null;
        return result;
    }

    public void Dispose()
    {
        if (_array is not null)
        {
            Free(_array, _pooled, _reserved);
            _array = null;
            _budget?.Finish(this);
        }
    }

    private async ValueTask GrowAsync(int size, CancellationToken cancellationToken)
    {
        if (_budget is not null)
        {
            await _budget.ReserveAsync(size, this, cancellationToken).ConfigureAwait(false);
        }

        byte[] bigger;
        bool pooled;
        try
        {
            (bigger, pooled) = Allocate(size);
        }
        catch
        {
            _budget?.Release(size, large: false);
            throw;
        }

        var old = _array!;
        old.AsSpan(0, Length).CopyTo(bigger);
        Free(old, _pooled, _reserved);
        (_array, _pooled, _reserved) = (bigger, pooled, size);
    }

    private static (byte[] Array, bool Pooled) Allocate(int size) =>
        size <= MaxPooledSize ? (ArrayPool<byte>.Shared.Rent(size), true) : (GC.AllocateUninitializedArray<byte>(size), false);

    private void Free(byte[] array, bool pooled, long reserved)
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _budget?.Release(reserved, large: !pooled);
    }
}
