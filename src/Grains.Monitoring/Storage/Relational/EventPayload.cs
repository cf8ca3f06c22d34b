using System.Buffers;
using System.IO.Compression;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>Brotli for stored event JSON: events are mostly repetitive text, and reads are rare next to writes.</summary>
public static class EventPayload
{
    // Quality 4 compresses typical 5 KB events about 5x at a small fraction of quality 11's cost (this runs per event).
    private const int Quality = 4;
    private const int Window = 22;

    public static byte[] Compress(ReadOnlySpan<byte> json)
    {
        var rented = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(json.Length));
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
            ArrayPool<byte>.Shared.Return(rented);
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
