using System.Buffers;
using System.IO.Compression;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>Brotli for stored event JSON: events are mostly repetitive text, and reads are rare next to writes.</summary>
public static class EventPayload
{
    // Quality 4 compresses typical 5 KB events about 5x at a small fraction of quality 11's cost (this runs per event).
    private const int Quality = 4;
    private const int Window = 22;

    // Events (1 MiB at most) compress in pooled scratch arrays.
    private const int MaxPooledScratch = 2 * 1024 * 1024;

    public static byte[] Compress(ReadOnlySpan<byte> json)
    {
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

            return rented.AsSpan(0, written).ToArray();
        }
        finally
        {
            if (pooled)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static byte[] Decompress(byte[] payload, long size)
    {
        var json = new byte[size];
        if (!BrotliDecoder.TryDecompress(payload, json, out var written) || written != size)
        {
            throw new InvalidDataException($"A stored event payload is corrupt (expected {size} bytes).");
        }

        return json;
    }
}
