using System.IO.Compression;

namespace Grains.Ingestion.Tests.Support;

/// <summary>Non-seekable stream that hands out at most <c>chunk</c> bytes per read, like a chunked HTTP body.</summary>
internal sealed class ChunkedStream(byte[] data, int chunk) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A gzip stream of <c>totalZeros</c> zero bytes, compressed lazily as it is read, so a test can
/// offer a 1 GiB bomb without ever holding it and can see how much the reader pulled.
/// </summary>
internal sealed class GzipBombStream : Stream
{
    private readonly MemoryStream _pending = new();
    private readonly GZipStream _compressor;
    private readonly byte[] _zeros = new byte[1 << 20];
    private long _zerosLeft;
    private int _readOffset;

    public GzipBombStream(long totalZeros)
    {
        _zerosLeft = totalZeros;
        _compressor = new GZipStream(_pending, CompressionLevel.Fastest, leaveOpen: true);
    }

    public long UncompressedProduced { get; private set; }

    // Completing synchronously keeps the whole read on the test thread, so per-thread allocation
    // counters see everything the reader allocated.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var array = new byte[buffer.Length];
        var n = Read(array, 0, array.Length);
        array.AsSpan(0, n).CopyTo(buffer.Span);
        return ValueTask.FromResult(n);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_readOffset == _pending.Length && _zerosLeft >= 0)
        {
            _pending.SetLength(0);
            _readOffset = 0;
            if (_zerosLeft == 0)
            {
                _compressor.Dispose();
                _zerosLeft = -1;
                break;
            }

            var n = (int)Math.Min(_zeros.Length, _zerosLeft);
            _compressor.Write(_zeros, 0, n);
            _compressor.Flush();
            _zerosLeft -= n;
            UncompressedProduced += n;
        }

        var available = (int)Math.Min(count, _pending.Length - _readOffset);
        Array.Copy(_pending.GetBuffer(), _readOffset, buffer, offset, available);
        _readOffset += available;
        return available;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal static class Compress
{
    public static byte[] Gzip(byte[] data) => Run(data, s => new GZipStream(s, CompressionLevel.Optimal, true));
    public static byte[] Zlib(byte[] data) => Run(data, s => new ZLibStream(s, CompressionLevel.Optimal, true));
    public static byte[] Brotli(byte[] data) => Run(data, s => new BrotliStream(s, CompressionLevel.Optimal, true));

    public static byte[] With(string encoding, byte[] data) => encoding switch
    {
        "gzip" or "x-gzip" or "GZIP" => Gzip(data),
        "deflate" => Zlib(data),
        "br" => Brotli(data),
        _ => data,
    };

    private static byte[] Run(byte[] data, Func<Stream, Stream> create)
    {
        var output = new MemoryStream();
        using (var compressor = create(output))
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }
}
