using Grains.Ingestion.Errors;
using Grains.Ingestion.Limits;

namespace Grains.Ingestion.Body;

/// <summary>
/// Reads and decodes a whole request body, enforcing the size limits while the data streams in: a
/// decompression bomb is cut off once the decoded size passes the limit, without ever holding more
/// than the limit in memory. <see cref="BodyDecoder"/> does the work and can also stop after a prefix.
/// </summary>
public static class BodyReader
{
    /// <summary>The <c>detail</c> of body read failures (Relay's wording).</summary>
    public const string ReadFailedDetail = "failed to read request body";

    /// <summary>The <c>detail</c> for an encoding the edge cannot decode (answered with 415).</summary>
    public const string UnsupportedEncodingDetail = "unsupported content encoding";

    private const string LengthLimitCause = "length limit exceeded";

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

    /// <summary>Reads and decodes <paramref name="body"/> to its end (<see cref="BodyDecoder"/> in one go).</summary>
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
        await using var decoder = BodyDecoder.Create(body, encoding, contentLength, maxDecodedSize, maxEncodedSize);
        return await decoder.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>413 for a body over its limit (Relay's body limiter).</summary>
    internal static IngestException TooLarge() => IngestException.PayloadTooLarge(ReadFailedDetail, LengthLimitCause);
}
