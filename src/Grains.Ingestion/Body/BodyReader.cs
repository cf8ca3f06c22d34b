using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Grains.Ingestion.Errors;
using Grains.Ingestion.Limits;

namespace Grains.Ingestion.Body;

/// <summary>
/// Reads and decodes a request body into a pooled buffer, enforcing the size limits while the data
/// streams in: a decompression bomb is cut off once the decoded size passes the limit, without ever
/// holding more than the limit in memory. Works with chunked bodies (no Content-Length).
/// </summary>
public static class BodyReader
{
    /// <summary>The <c>detail</c> of body read failures (Relay's wording).</summary>
    public const string ReadFailedDetail = "failed to read request body";

    /// <summary>The <c>detail</c> for an encoding the edge cannot decode (answered with 415).</summary>
    public const string UnsupportedEncodingDetail = "unsupported content encoding";

    private const string LengthLimitCause = "length limit exceeded";
    private const int InitialCapacity = 16 * 1024;
    private const int InputChunk = 16 * 1024;

    /// <summary>
    /// Parses a <c>Content-Encoding</c> header. Empty, <c>identity</c> and <c>utf-8</c> (any case; sent by
    /// sentry-ruby and old Android SDKs) mean no encoding, as in Relay.
    /// </summary>
    /// <exception cref="IngestException">415 for anything else, including <c>zstd</c>, which the BCL
    /// cannot decode, and for stacked encodings.</exception>
    public static ContentEncoding ParseEncoding(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return ContentEncoding.Identity;
        }

        var result = ContentEncoding.Identity;
        foreach (var token in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var encoding = token.ToLowerInvariant() switch
            {
                "identity" or "utf-8" => ContentEncoding.Identity,
                "gzip" or "x-gzip" => ContentEncoding.Gzip,
                "deflate" => ContentEncoding.Deflate,
                "br" => ContentEncoding.Brotli,
                _ => throw IngestException.UnsupportedMediaType(UnsupportedEncodingDetail, $"content encoding `{token}` is not supported"),
            };
            if (encoding == ContentEncoding.Identity)
            {
                continue;
            }

            if (result != ContentEncoding.Identity)
            {
                throw IngestException.UnsupportedMediaType(UnsupportedEncodingDetail, "stacked content encodings are not supported");
            }

            result = encoding;
        }

        return result;
    }

    /// <summary>Reads an <c>/envelope/</c> body: decoded limit <see cref="IngestLimits.MaxEnvelopeSize"/>.</summary>
    /// <exception cref="IngestException">See <see cref="ReadAsync"/>.</exception>
    public static ValueTask<PooledBuffer> ReadEnvelopeAsync(Stream body, string? contentEncoding, long? contentLength, IngestLimits limits, CancellationToken cancellationToken = default) =>
        ReadAsync(body, ParseEncoding(contentEncoding), contentLength, limits.MaxEnvelopeSize, limits.MaxCompressedBodySize, cancellationToken);

    /// <summary>Reads a <c>/store/</c> POST body: decoded limit <see cref="IngestLimits.MaxEventSize"/>.</summary>
    /// <remarks>The result may still be base64 / base64+zlib; pass it to <see cref="StoreBodyDecoder"/>.</remarks>
    /// <exception cref="IngestException">See <see cref="ReadAsync"/>.</exception>
    public static ValueTask<PooledBuffer> ReadStoreAsync(Stream body, string? contentEncoding, long? contentLength, IngestLimits limits, CancellationToken cancellationToken = default) =>
        ReadAsync(body, ParseEncoding(contentEncoding), contentLength, limits.MaxEventSize, limits.MaxCompressedBodySize, cancellationToken);

    /// <summary>Reads and decodes <paramref name="body"/> to its end.</summary>
    /// <param name="body">The request body stream.</param>
    /// <param name="encoding">The parsed <c>Content-Encoding</c>.</param>
    /// <param name="contentLength">The declared length, if any: rejects early and sizes the buffer.</param>
    /// <param name="maxDecodedSize">Limit on the decoded bytes.</param>
    /// <param name="maxEncodedSize">Limit on wire bytes when <paramref name="encoding"/> is not identity.</param>
    /// <param name="cancellationToken">Request abort.</param>
    /// <exception cref="IngestException">413 when a limit is passed; 400 for corrupt or truncated
    /// compressed data.</exception>
    public static async ValueTask<PooledBuffer> ReadAsync(Stream body, ContentEncoding encoding, long? contentLength, long maxDecodedSize, long maxEncodedSize, CancellationToken cancellationToken = default)
    {
        maxDecodedSize = Math.Min(maxDecodedSize, Array.MaxLength - 1L);
        var wireLimit = encoding == ContentEncoding.Identity ? maxDecodedSize : maxEncodedSize;
        if (contentLength > wireLimit)
        {
            throw IngestException.PayloadTooLarge(ReadFailedDetail, LengthLimitCause);
        }

        var initial = encoding == ContentEncoding.Identity && contentLength is { } declared
            ? (int)Math.Min(declared + 1, maxDecodedSize + 1)
            : (int)Math.Min(InitialCapacity, maxDecodedSize + 1);
        var output = new Output(Math.Max(initial, 1), (int)maxDecodedSize);
        try
        {
            switch (encoding)
            {
                case ContentEncoding.Identity:
                    await ReadAllAsync(body, output, cancellationToken).ConfigureAwait(false);
                    break;
                case ContentEncoding.Brotli:
                    await ReadBrotliAsync(new WireStream(body, wireLimit), output, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await ReadZlibFamilyAsync(new WireStream(body, wireLimit), encoding, output, cancellationToken).ConfigureAwait(false);
                    break;
            }

            return output.Detach();
        }
        finally
        {
            output.Dispose();
        }
    }

    private static async ValueTask ReadAllAsync(Stream source, Output output, CancellationToken cancellationToken)
    {
        while (true)
        {
            var n = await source.ReadAsync(output.FreeMemory(), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return;
            }

            output.Advance(n);
        }
    }

    private static async ValueTask ReadZlibFamilyAsync(WireStream wire, ContentEncoding encoding, Output output, CancellationToken cancellationToken)
    {
        var gzip = encoding == ContentEncoding.Gzip;
        var cause = gzip ? "failed to decode gzip payload" : "failed to decode zlib payload";
        try
        {
            await using (Stream decoder = gzip
                ? new GZipStream(wire, CompressionMode.Decompress, leaveOpen: true)
                : new ZLibStream(wire, CompressionMode.Decompress, leaveOpen: true))
            {
                await ReadAllAsync(decoder, output, cancellationToken).ConfigureAwait(false);
            }

            // The decoder may stop before the input ends; anything after the stream is read so that
            // the tail below is the real end of the body (trailing garbage then fails the check).
            var drain = ArrayPool<byte>.Shared.Rent(InputChunk);
            try
            {
                while (await wire.ReadAsync(drain.AsMemory(), cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(drain);
            }
        }
        catch (InvalidDataException e)
        {
            throw new IngestException(400, ReadFailedDetail, e, cause, "corrupt deflate stream");
        }

        if (wire.BytesRead == 0)
        {
            return;
        }

        var decoded = output.Written;
        var complete = gzip
            ? wire.BytesRead >= 18
              && BinaryPrimitives.ReadUInt32LittleEndian(wire.Tail(4)) == (uint)decoded.Length
              && BinaryPrimitives.ReadUInt32LittleEndian(wire.Tail(8)) == Checksums.Crc32(decoded)
            : wire.BytesRead >= 6
              && BinaryPrimitives.ReadUInt32BigEndian(wire.Tail(4)) == Checksums.Adler32(decoded);
        if (!complete)
        {
            throw IngestException.BadRequest(ReadFailedDetail, cause, "unexpected end of stream or checksum mismatch");
        }
    }

    private static async ValueTask ReadBrotliAsync(WireStream wire, Output output, CancellationToken cancellationToken)
    {
        const string cause = "failed to decode brotli payload";
        var input = ArrayPool<byte>.Shared.Rent(InputChunk);
        var decoder = new BrotliDecoder();
        try
        {
            int start = 0, end = 0;
            var finished = false;
            while (true)
            {
                var n = await wire.ReadAsync(input.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                if (finished)
                {
                    throw IngestException.BadRequest(ReadFailedDetail, cause, "trailing data after the brotli stream");
                }

                end += n;
                finished = DecodeAvailable(ref decoder, input, ref start, end, output);
                if (finished && start < end)
                {
                    throw IngestException.BadRequest(ReadFailedDetail, cause, "trailing data after the brotli stream");
                }

                // Keep the unconsumed input at the front so the next read appends to it. Brotli
                // consumes all input before asking for more, so the chunk never stays full.
                input.AsSpan(start, end - start).CopyTo(input);
                end -= start;
                start = 0;
                if (end == input.Length)
                {
                    throw IngestException.BadRequest(ReadFailedDetail, cause, "corrupt brotli stream");
                }
            }

            if (!finished && wire.BytesRead > 0)
            {
                throw IngestException.BadRequest(ReadFailedDetail, cause, "unexpected end of stream");
            }
        }
        finally
        {
            decoder.Dispose();
            ArrayPool<byte>.Shared.Return(input);
        }

        // BrotliDecoder is a mutable struct: passed by reference so its state carries across calls.
        static bool DecodeAvailable(ref BrotliDecoder decoder, byte[] input, ref int start, int end, Output output)
        {
            while (true)
            {
                var status = decoder.Decompress(input.AsSpan(start, end - start), output.FreeSpan(), out var consumed, out var written);
                start += consumed;
                output.Advance(written);
                switch (status)
                {
                    case OperationStatus.Done:
                        return true;
                    case OperationStatus.NeedMoreData:
                        return false;
                    case OperationStatus.DestinationTooSmall:
                        output.EnsureFree();
                        break;
                    default:
                        throw IngestException.BadRequest(ReadFailedDetail, cause, "corrupt brotli stream");
                }
            }
        }
    }

    /// <summary>Growable pooled output that refuses to grow past the decoded limit.</summary>
    private sealed class Output(int initialCapacity, int limit) : IDisposable
    {
        private byte[]? _array = ArrayPool<byte>.Shared.Rent(initialCapacity);
        private int _length;

        public ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

        public Memory<byte> FreeMemory()
        {
            EnsureFree();
            return _array.AsMemory(_length);
        }

        public Span<byte> FreeSpan()
        {
            EnsureFree();
            return _array.AsSpan(_length);
        }

        public void Advance(int count)
        {
            _length += count;

            // One byte beyond the limit is enough to know the body is too large; stop right there.
            if (_length > limit)
            {
                throw IngestException.PayloadTooLarge(ReadFailedDetail, LengthLimitCause);
            }
        }

        public void EnsureFree()
        {
            var array = _array!;
            if (_length < array.Length)
            {
                return;
            }

            // Capacity limit + 1 lets the read that crosses the limit be detected.
            var size = (int)Math.Min(Math.Max(array.Length * 2L, InitialCapacity), limit + 1L);
            if (size <= array.Length)
            {
                throw IngestException.PayloadTooLarge(ReadFailedDetail, LengthLimitCause);
            }

            var bigger = ArrayPool<byte>.Shared.Rent(size);
            array.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(array);
            _array = bigger;
        }

        public PooledBuffer Detach()
        {
            var result = new PooledBuffer(_array!, _length);
            _array = null;
            return result;
        }

        public void Dispose()
        {
            if (_array is not null)
            {
                ArrayPool<byte>.Shared.Return(_array);
                _array = null;
            }
        }
    }
}
