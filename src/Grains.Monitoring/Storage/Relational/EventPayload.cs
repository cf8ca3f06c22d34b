using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>Brotli for stored event JSON: events are mostly repetitive text, and reads are rare next to writes.</summary>
/// <remarks>
/// An event is compressed once, at the edge (<see cref="Events.IngestedEvent"/>): the stream item carries
/// these bytes and the event store writes them as they are (<see cref="StoredEvent.CompressedJson"/>).
/// </remarks>
public static class EventPayload
{
    // Runs once per event at the edge, so its CPU is ingest throughput; its bytes go to the log and the event store.
    // Measured (bench: `Grains.IngestBench payload --events 16000`, the corpus' events normalized and grouped, 6,148 B
    // of JSON on average; thread CPU per event, best of three, shared 2-core machine, 2026-12-04):
    //   quality  compress µs  decompress µs  bytes  ratio
    //   0        16.3         10.6           1,546  3.98
    //   1        23.8         11.9           1,485  4.14
    //   2        45.6         11.9           1,447  4.25
    //   3        54.4         11.9           1,388  4.43
    //   4        82.5         11.9           1,310  4.69
    //   5        112.5        11.9           1,196  5.14
    // Window 16 to 24 changed neither time nor size at these sizes (an event fits any of them). Quality 1 is the knee:
    // a third of quality 4's CPU for 13 % more bytes; quality 0 saves 7 µs more for 4 % more bytes.
    // Stored rows of any quality decode alike (Brotli's decoder does not depend on the quality).
    private const int Quality = 1;
    private const int Window = 22;

    // Events (1 MiB at most) compress in pooled scratch arrays.
    private const int MaxPooledScratch = 2 * 1024 * 1024;

    public static byte[] Compress(ReadOnlySpan<byte> json) => Compress(json, 0);

    /// <summary>
    /// Compresses <paramref name="json"/> into a new array that starts with <paramref name="headerSize"/>
    /// bytes left free for the caller (a stream item's header), so the compressed bytes are copied once.
    /// </summary>
    public static byte[] Compress(ReadOnlySpan<byte> json, int headerSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headerSize);

        // Large payloads (attachments up to 10 MiB) get a scratch array of their own: the shared pool
        // would keep a 16 MiB array per core for good (bench/results/memory.md).
        var scratchSize = BrotliEncoder.GetMaxCompressedLength(json.Length);
        var pooled = scratchSize <= MaxPooledScratch;
        var rented = pooled ? ArrayPool<byte>.Shared.Rent(scratchSize) : GC.AllocateUninitializedArray<byte>(scratchSize);
        try
        {
            if (!BrotliEncoder.TryCompress(json, rented, out var written, Quality, Window))
            {
                throw new InvalidOperationException("Brotli compression failed.");
            }

            var result = GC.AllocateUninitializedArray<byte>(headerSize + written);
            result.AsSpan(0, headerSize).Clear();
            rented.AsSpan(0, written).CopyTo(result.AsSpan(headerSize));
            return result;
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static byte[] Decompress(byte[] payload, long size) => Decompress(payload.AsSpan(), size);

    public static byte[] Decompress(ReadOnlySpan<byte> payload, long size)
    {
        if (size < 0 || size > Array.MaxLength)
        {
            throw new InvalidDataException($"A stored event payload has an invalid size ({size} bytes).");
        }

        var json = new byte[size];
        if (!BrotliDecoder.TryDecompress(payload, json, out var written) || written != size)
        {
            throw new InvalidDataException($"A stored event payload is corrupt (expected {size} bytes).");
        }

        return json;
    }

    /// <summary>
    /// The bytes and uncompressed size an event store writes for <paramref name="storedEvent"/>: its
    /// <see cref="StoredEvent.CompressedJson"/> as it is when the caller has it, else its JSON compressed here.
    /// </summary>
    public static (byte[] Payload, long Size) ForAppend(StoredEvent storedEvent)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        if (storedEvent.CompressedJson is not { } compressed)
        {
            return (Compress(storedEvent.Json.Span), storedEvent.Json.Length);
        }

        // The bytes usually are a slice of the stream item; the database providers take whole arrays.
        var bytes = MemoryMarshal.TryGetArray(compressed.Bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : compressed.Bytes.ToArray();
        return (bytes, compressed.JsonLength);
    }
}
