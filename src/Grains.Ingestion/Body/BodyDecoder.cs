using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Grains.Ingestion.Auth;
using Grains.Ingestion.Errors;
using Grains.Ingestion.Limits;

namespace Grains.Ingestion.Body;

/// <summary>
/// Decodes a request body incrementally, enforcing the size limits while the data streams in. It can
/// stop after a small prefix (the envelope header, which may carry the credentials) and continue to
/// the end only once the caller is satisfied, so an unauthenticated request costs a few kilobytes
/// however far its body would inflate. Works with chunked bodies (no Content-Length).
/// </summary>
public sealed class BodyDecoder : IAsyncDisposable
{
    private const int InitialCapacity = 16 * 1024;
    private const int InputChunk = 16 * 1024;

    private readonly Source _source;
    private readonly DecodedOutput _output;
    private readonly long? _identityLength;
    private bool _ended;

    private BodyDecoder(Source source, DecodedOutput output, long? identityLength)
    {
        _source = source;
        _output = output;
        _identityLength = identityLength;
    }

    /// <summary>Decoded bytes so far.</summary>
    public int DecodedLength => _output.Length;

    /// <summary>Starts decoding an <c>/envelope/</c> body: decoded limit <see cref="IngestLimits.MaxEnvelopeSize"/>.</summary>
    /// <exception cref="IngestException">415 for an unsupported encoding; 413 when the declared length is over the limit.</exception>
    public static BodyDecoder ForEnvelope(Stream body, string? contentEncoding, long? contentLength, IngestLimits limits, InflationBudget? budget = null) =>
        Create(body, BodyReader.ParseEncoding(contentEncoding), contentLength, limits.MaxEnvelopeSize, limits.MaxCompressedBodySize, budget);

    /// <summary>Starts decoding a <c>/store/</c> POST body: decoded limit <see cref="IngestLimits.MaxEventSize"/>.</summary>
    /// <exception cref="IngestException">As <see cref="ForEnvelope"/>.</exception>
    public static BodyDecoder ForStore(Stream body, string? contentEncoding, long? contentLength, IngestLimits limits, InflationBudget? budget = null) =>
        Create(body, BodyReader.ParseEncoding(contentEncoding), contentLength, limits.MaxEventSize, limits.MaxCompressedBodySize, budget);

    /// <summary>Starts decoding <paramref name="body"/>; nothing is read yet.</summary>
    /// <param name="body">The request body stream.</param>
    /// <param name="encoding">The parsed <c>Content-Encoding</c>.</param>
    /// <param name="contentLength">The declared length, if any: rejects early and sizes the buffer.</param>
    /// <param name="maxDecodedSize">Limit on the decoded bytes.</param>
    /// <param name="maxEncodedSize">Limit on wire bytes when <paramref name="encoding"/> is not identity.</param>
    /// <param name="budget">The silo-wide budget the buffer is reserved in, if any.</param>
    /// <exception cref="IngestException">413 when <paramref name="contentLength"/> is over the wire limit.</exception>
    public static BodyDecoder Create(Stream body, ContentEncoding encoding, long? contentLength, long maxDecodedSize, long maxEncodedSize, InflationBudget? budget = null)
    {
        maxDecodedSize = Math.Min(maxDecodedSize, Array.MaxLength - 1L);
        var wireLimit = encoding == ContentEncoding.Identity ? maxDecodedSize : maxEncodedSize;
        if (contentLength > wireLimit)
        {
            throw BodyReader.TooLarge();
        }

        // A short identity body gets a buffer of its size; a long one starts small and grows to its
        // declared size only in ReadToEndAsync, after the caller had the chance to authenticate it.
        var initial = (int)Math.Min(InitialCapacity, maxDecodedSize + 1);
        var identityLength = encoding == ContentEncoding.Identity ? contentLength : null;
        if (identityLength is { } declared && declared < initial)
        {
            initial = (int)declared + 1;
        }

        Source source = encoding switch
        {
            ContentEncoding.Identity => new IdentitySource(body),
            ContentEncoding.Brotli => new BrotliSource(new WireStream(body, wireLimit)),
            _ => new ZlibFamilySource(new WireStream(body, wireLimit), encoding == ContentEncoding.Gzip),
        };
        return new BodyDecoder(source, new DecodedOutput(initial, (int)maxDecodedSize, budget), identityLength);
    }

    /// <summary>
    /// Decodes until the output holds a newline, or <paramref name="maxBytes"/> bytes, or the body
    /// ends, and returns the credentials of the envelope header (tunnel mode, reference §2.2).
    /// </summary>
    /// <exception cref="IngestException">401 <c>bad envelope authentication header</c> when the first line
    /// is longer than <paramref name="maxBytes"/> or has no usable <c>dsn</c>; 400/413 for a corrupt or
    /// oversized body.</exception>
    public async ValueTask<SentryAuth> ReadEnvelopeAuthAsync(int maxBytes, string? userAgent, CancellationToken cancellationToken = default)
    {
        var searched = 0;
        while (!_ended && _output.Length < maxBytes)
        {
            if (_output.Written[searched..].Contains((byte)'\n'))
            {
                break;
            }

            searched = _output.Length;
            var free = await _output.FreeMemoryAsync(cancellationToken).ConfigureAwait(false);
            await ReadOnceAsync(free[..Math.Min(free.Length, maxBytes - _output.Length)], cancellationToken).ConfigureAwait(false);
        }

        var prefix = _output.Written;
        if (!_ended && !prefix.Contains((byte)'\n'))
        {
            throw IngestException.Unauthorized(SentryAuthParser.BadEnvelopeAuthDetail, $"envelope header longer than {maxBytes} bytes");
        }

        return SentryAuthParser.FromEnvelopeBody(prefix, userAgent);
    }

    /// <summary>Decodes the rest of the body and hands over the whole decoded body.</summary>
    /// <exception cref="IngestException">413 when a limit is passed; 400 for corrupt or truncated
    /// compressed data; 503 when the <see cref="InflationBudget"/> stays full.</exception>
    public async ValueTask<PooledBuffer> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        if (_identityLength is { } declared)
        {
            await _output.EnsureCapacityAsync((int)declared + 1, cancellationToken).ConfigureAwait(false);
        }

        while (!_ended)
        {
            var free = await _output.FreeMemoryAsync(cancellationToken).ConfigureAwait(false);
            await ReadOnceAsync(free, cancellationToken).ConfigureAwait(false);
        }

        return _output.Detach();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _output.Dispose();
        await _source.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask ReadOnceAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var n = await _source.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            _ended = true;
            _source.VerifyEnd(_output.Written);
            return;
        }

        _output.Advance(n);
    }

    /// <summary>The decoded bytes of one encoding, pulled a buffer at a time.</summary>
    private abstract class Source : IAsyncDisposable
    {
        /// <summary>Decodes into <paramref name="destination"/> (not empty); 0 at the end of the body.</summary>
        public abstract ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken);

        /// <summary>Checks the trailer once the end is reached, against everything decoded.</summary>
        public virtual void VerifyEnd(ReadOnlySpan<byte> decoded)
        {
        }

        public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class IdentitySource(Stream body) : Source
    {
        public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
            body.ReadAsync(destination, cancellationToken);
    }

    private sealed class ZlibFamilySource(WireStream wire, bool gzip) : Source
    {
        private readonly Stream _decoder = gzip
            ? new GZipStream(wire, CompressionMode.Decompress, leaveOpen: true)
            : new ZLibStream(wire, CompressionMode.Decompress, leaveOpen: true);

        private string Cause => gzip ? "failed to decode gzip payload" : "failed to decode zlib payload";

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
        {
            try
            {
                var n = await _decoder.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    await DrainAsync(cancellationToken).ConfigureAwait(false);
                }

                return n;
            }
            catch (InvalidDataException e)
            {
                throw new IngestException(400, BodyReader.ReadFailedDetail, e, Cause, "corrupt deflate stream");
            }
        }

        // .NET's GZipStream and ZLibStream end silently on a truncated stream; the trailer is the
        // only way to tell a cut-off body from a complete one.
        public override void VerifyEnd(ReadOnlySpan<byte> decoded)
        {
            if (wire.BytesRead == 0)
            {
                return;
            }

            var complete = gzip
                ? wire.BytesRead >= 18
                  && BinaryPrimitives.ReadUInt32LittleEndian(wire.Tail(4)) == (uint)decoded.Length
                  && BinaryPrimitives.ReadUInt32LittleEndian(wire.Tail(8)) == Checksums.Crc32(decoded)
                : wire.BytesRead >= 6
                  && BinaryPrimitives.ReadUInt32BigEndian(wire.Tail(4)) == Checksums.Adler32(decoded);
            if (!complete)
            {
                throw IngestException.BadRequest(BodyReader.ReadFailedDetail, Cause, "unexpected end of stream or checksum mismatch");
            }
        }

        public override ValueTask DisposeAsync() => _decoder.DisposeAsync();

        // The decoder may stop before the input ends; anything after the stream is read so that the
        // tail is the real end of the body (trailing garbage then fails the check).
        private async ValueTask DrainAsync(CancellationToken cancellationToken)
        {
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
    }

    private sealed class BrotliSource(WireStream wire) : Source
    {
        private const string Cause = "failed to decode brotli payload";
        private byte[]? _input = ArrayPool<byte>.Shared.Rent(InputChunk);
        private BrotliDecoder _decoder;
        private int _start, _end;
        private bool _finished;

        public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
        {
            var input = _input!;
            while (!_finished)
            {
                var status = _decoder.Decompress(input.AsSpan(_start, _end - _start), destination.Span, out var consumed, out var written);
                _start += consumed;
                switch (status)
                {
                    case OperationStatus.Done:
                        if (_start < _end || await wire.ReadAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false) > 0)
                        {
                            throw IngestException.BadRequest(BodyReader.ReadFailedDetail, Cause, "trailing data after the brotli stream");
                        }

                        _finished = true;
                        return written;
                    case OperationStatus.DestinationTooSmall when written > 0:
                        return written;
                    case OperationStatus.NeedMoreData:
                        if (written > 0)
                        {
                            return written;
                        }

                        // Keep the unconsumed input at the front so the next read appends to it. Brotli
                        // consumes all input before asking for more, so the chunk never stays full.
                        input.AsSpan(_start, _end - _start).CopyTo(input);
                        _end -= _start;
                        _start = 0;
                        if (_end == input.Length)
                        {
                            throw IngestException.BadRequest(BodyReader.ReadFailedDetail, Cause, "corrupt brotli stream");
                        }

                        var n = await wire.ReadAsync(input.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            if (wire.BytesRead > 0)
                            {
                                throw IngestException.BadRequest(BodyReader.ReadFailedDetail, Cause, "unexpected end of stream");
                            }

                            _finished = true;
                            return 0;
                        }

                        _end += n;
                        break;
                    default:
                        throw IngestException.BadRequest(BodyReader.ReadFailedDetail, Cause, "corrupt brotli stream");
                }
            }

            return 0;
        }

        public override ValueTask DisposeAsync()
        {
            _decoder.Dispose();
            if (Interlocked.Exchange(ref _input, null) is { } input)
            {
                ArrayPool<byte>.Shared.Return(input);
            }

            return ValueTask.CompletedTask;
        }
    }
}
