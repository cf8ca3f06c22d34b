using System.Buffers;
using System.Text.Json;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Reads request bodies by hand instead of through minimal-API binding, so that authentication runs
/// before the body is looked at and every malformed body gets a 400 that says what is wrong.
/// Unknown fields are ignored, as Sentry's serializers do.
/// </summary>
internal static class JsonBody
{
    private const int MaxBytes = 1024 * 1024;
    private const int MaxDepth = 32;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The body as a JSON object; an empty body is <c>{}</c>.</summary>
    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"Request body exceeds {MaxBytes} bytes.");
            }
        }

        if (buffer.WrittenCount == 0)
        {
            return EmptyObject;
        }

        // System.Text.Json checks UTF-8 and surrogate escapes only when a string is read, which would
        // throw (a 500) deep inside an endpoint: check the whole body first.
        if (!System.Text.Unicode.Utf8.IsValid(buffer.WrittenSpan))
        {
            throw ApiException.BadRequest("Malformed JSON body: the body is not valid UTF-8.");
        }

        try
        {
            EnsureReadableStrings(buffer.WrittenSpan);
            using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest($"Invalid request body: expected a JSON object, got {Describe(document.RootElement.ValueKind)}.");
            }

            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Malformed JSON body: {e.Message}");
        }
    }

    // Every escaped string and property name must decode: "\ud83d" alone is valid JSON but no text.
    private static void EnsureReadableStrings(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw ApiException.BadRequest("Malformed JSON body: a string contains a lone UTF-16 surrogate escape (for example \\ud83d).");
                }
            }
        }
    }

    /// <summary>A string field; null when absent or JSON null.</summary>
    public static string? String(JsonElement body, string name) => Field(body, name, JsonValueKind.String, "a string")?.GetString();

    /// <summary>A boolean field; null when absent or JSON null.</summary>
    public static bool? Boolean(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "a boolean", value.ValueKind),
        };
    }

    /// <summary>An object field; null when absent or JSON null.</summary>
    public static JsonElement? Object(JsonElement body, string name) => Field(body, name, JsonValueKind.Object, "an object");

    /// <summary>A whole non-negative number field; null when absent or JSON null.</summary>
    public static long? Count(JsonElement body, string name)
    {
        var value = Field(body, name, JsonValueKind.Number, "a number");
        if (value is null)
        {
            return null;
        }

        if (!value.Value.TryGetInt64(out var number) || number < 0)
        {
            throw ApiException.BadRequest($"'{name}' must be a non-negative integer.");
        }

        return number;
    }

    private static JsonElement? Field(JsonElement body, string name, JsonValueKind kind, string expected)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == kind ? value : throw WrongType(name, expected, value.ValueKind);
    }

    private static ApiException WrongType(string name, string expected, JsonValueKind actual) =>
        ApiException.BadRequest($"'{name}' must be {expected}, got {Describe(actual)}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
