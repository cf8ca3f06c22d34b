using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Body;

/// <summary>
/// Read-only view of the raw request body that enforces the wire limit as bytes arrive and keeps
/// the last 8 bytes seen, which hold the gzip/zlib trailer once the body has ended.
/// </summary>
internal sealed class WireStream(Stream inner, long limit) : Stream
{
    private readonly byte[] _tail = new byte[8];

    public long BytesRead { get; private set; }

    /// <summary>The last <paramref name="count"/> bytes read (count ≤ 8, and ≤ <see cref="BytesRead"/>).</summary>
    public ReadOnlySpan<byte> Tail(int count) => _tail.AsSpan(8 - count);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Account(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Account(ReadOnlySpan<byte> chunk)
    {
        BytesRead += chunk.Length;
        if (BytesRead > limit)
        {
            throw IngestException.PayloadTooLarge(BodyReader.ReadFailedDetail, "compressed body length limit exceeded");
        }

        if (chunk.Length >= 8)
        {
            chunk[^8..].CopyTo(_tail);
        }
        else if (chunk.Length > 0)
        {
            _tail.AsSpan(chunk.Length).CopyTo(_tail);
            chunk.CopyTo(_tail.AsSpan(8 - chunk.Length));
        }
    }
}
