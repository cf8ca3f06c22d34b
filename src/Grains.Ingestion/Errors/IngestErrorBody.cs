using System.Buffers;
using System.Text.Json;

namespace Grains.Ingestion.Errors;

/// <summary>
/// Writes the error body Relay answers with (<c>ApiErrorResponse</c>):
/// <c>{"detail":"…","causes":["…"]}</c>, with <c>causes</c> left out when empty.
/// </summary>
public static class IngestErrorBody
{
    /// <summary>Content type of the error body.</summary>
    public const string ContentType = "application/json";

    /// <summary>Writes the body for <paramref name="error"/> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, IngestException error) =>
        Write(output, error.Detail, error.Causes);

    /// <summary>Writes a body with the given detail and causes.</summary>
    public static void Write(IBufferWriter<byte> output, string detail, IReadOnlyList<string> causes)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("detail", detail);
        if (causes.Count > 0)
        {
            writer.WriteStartArray("causes");
            foreach (var cause in causes)
            {
                writer.WriteStringValue(cause);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Returns the UTF-8 body for <paramref name="error"/>.</summary>
    public static byte[] ToUtf8Bytes(IngestException error)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        Write(buffer, error);
        return buffer.WrittenSpan.ToArray();
    }
}
