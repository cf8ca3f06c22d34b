using System.Buffers;
using System.Text.Json;

namespace Grains.Ingestion.Envelopes;

/// <summary>
/// Serializes an envelope back to wire format: every item gets an explicit <c>length</c> and a
/// trailing newline (as the Python SDK writes them), so any payload bytes round-trip safely.
/// </summary>
public static class EnvelopeWriter
{
    /// <summary>Writes <paramref name="envelope"/> to <paramref name="output"/>.</summary>
    public static void Write(Envelope envelope, IBufferWriter<byte> output)
    {
        using (var writer = new Utf8JsonWriter(output))
        {
            envelope.Header.ToJsonObject().WriteTo(writer);
        }

        output.Write("\n"u8);
        foreach (var item in envelope.Items)
        {
            var headers = item.ParseHeaders();
            headers["length"] = item.Payload.Length;
            using (var writer = new Utf8JsonWriter(output))
            {
                headers.WriteTo(writer);
            }

            output.Write("\n"u8);
            output.Write(item.Payload.Span);
            output.Write("\n"u8);
        }
    }

    /// <summary>Returns the serialized envelope.</summary>
    public static byte[] ToArray(Envelope envelope)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(envelope, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
