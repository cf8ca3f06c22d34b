using System.Buffers;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using Grains.Ingestion.Errors;
using Grains.Ingestion.Limits;

namespace Grains.Ingestion.Body;

/// <summary>
/// The legacy <c>/store/</c> payload forms (Relay <c>endpoints/store.rs</c> <c>decode_bytes</c>): plain
/// JSON, base64 of JSON, or base64 of zlib-compressed JSON. GET requests carry the same in the
/// <c>sentry_data</c> query parameter.
/// </summary>
public static class StoreBodyDecoder
{
    /// <summary>400 detail for an empty store body.</summary>
    public const string EmptyBodyDetail = "empty request body";

    /// <summary>
    /// Returns the event JSON. When <paramref name="body"/> already starts with <c>{</c> it is returned
    /// as is (no copy); otherwise a new array holds the decoded bytes.
    /// </summary>
    /// <exception cref="IngestException">400 for an empty body, bad base64 or corrupt zlib data; 413 when
    /// the inflated event passes <see cref="IngestLimits.MaxEventSize"/>.</exception>
    public static ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> body, IngestLimits limits)
    {
        if (body.IsEmpty)
        {
            throw IngestException.BadRequest(EmptyBodyDetail);
        }

        if (body.Span[0] == (byte)'{')
        {
            return body;
        }

        var binary = new byte[Base64.GetMaxDecodedFromUtf8Length(body.Length)];
        var trimmed = body.Span.Trim("\r\n \t"u8);
        if (Base64.DecodeFromUtf8(trimmed, binary, out _, out var written) != OperationStatus.Done)
        {
            throw IngestException.BadRequest(BodyReader.ReadFailedDetail, "invalid base64 payload");
        }

        if (written > 0 && binary[0] == (byte)'{')
        {
            return binary.AsMemory(0, written);
        }

        return Inflate(binary, written, limits.MaxEventSize);
    }

    /// <summary>Decodes the <c>sentry_data</c> query parameter of a GET store request.</summary>
    /// <exception cref="IngestException">As <see cref="Decode"/>.</exception>
    public static ReadOnlyMemory<byte> DecodeQueryValue(string sentryData, IngestLimits limits) =>
        Decode(Encoding.UTF8.GetBytes(sentryData), limits);

    private static byte[] Inflate(byte[] compressed, int length, long limit)
    {
        using var source = new ZLibStream(new MemoryStream(compressed, 0, length, writable: false), CompressionMode.Decompress);
        using var result = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = source.Read(chunk)) > 0)
            {
                if (result.Length + n > limit)
                {
                    throw IngestException.PayloadTooLarge(BodyReader.ReadFailedDetail, "length limit exceeded");
                }

                result.Write(chunk, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new IngestException(400, BodyReader.ReadFailedDetail, e, "failed to decode zlib payload", "corrupt deflate stream");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (result.Length == 0)
        {
            throw IngestException.BadRequest(EmptyBodyDetail);
        }

        return result.ToArray();
    }
}
