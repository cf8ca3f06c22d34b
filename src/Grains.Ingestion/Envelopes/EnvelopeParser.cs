using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Grains.Ingestion.Auth;
using Grains.Ingestion.Errors;
using Grains.Ingestion.Limits;

namespace Grains.Ingestion.Envelopes;

/// <summary>
/// Parses envelopes with Relay's algorithm (reference §3.4): only the header lines are JSON-parsed;
/// payloads stay as slices of the input, so parsing costs one pass over the headers and one
/// newline search per item without <c>length</c>.
/// </summary>
public static class EnvelopeParser
{
    /// <summary>400 detail of every envelope syntax error; the cause says which.</summary>
    public const string InvalidEnvelopeDetail = "invalid event envelope";

    /// <summary>400 detail for an empty body.</summary>
    public const string EmptyBodyDetail = "empty request body";

    private static readonly JsonReaderOptions ReaderOptions = new() { AllowMultipleValues = true, MaxDepth = 64 };

    /// <summary>Parses <paramref name="body"/> (already decompressed) and applies the per-item limits.</summary>
    /// <exception cref="IngestException">400 <c>invalid event envelope</c> with a cause (<c>missing envelope header</c>,
    /// <c>invalid envelope header</c>, <c>invalid item header</c>, <c>missing newline after header or payload</c>,
    /// <c>unexpected end of file</c>, <c>envelope contains internal items</c>); 400 <c>empty request body</c>;
    /// 413 when an item passes its size or count limit.</exception>
    public static Envelope Parse(ReadOnlyMemory<byte> body, IngestLimits limits)
    {
        var span = body.Span;
        if (span.IsEmpty)
        {
            throw IngestException.BadRequest(EmptyBodyDetail);
        }

        var pos = SkipWhitespace(span, 0);
        if (pos == span.Length)
        {
            throw Invalid("missing envelope header");
        }

        var header = ReadEnvelopeHeader(body, ref pos);
        pos = AfterHeader(span, pos);

        var sizeLimits = new EnvelopeSizeLimits(limits);
        var items = new List<EnvelopeItem>();
        var requiresEvent = false;
        while (pos < span.Length)
        {
            var headerStart = SkipWhitespace(span, pos);
            if (headerStart == span.Length)
            {
                throw Invalid("unexpected end of file");
            }

            pos = headerStart;
            var (type, fields) = ReadItemHeader(span, ref pos);
            var rawHeader = body[headerStart..pos];
            var payloadStart = AfterHeader(span, pos);

            int payloadEnd;
            if (fields.Length is { } length)
            {
                if ((long)payloadStart + length > span.Length)
                {
                    throw Invalid("unexpected end of file");
                }

                payloadEnd = payloadStart + length;
                if (payloadEnd < span.Length && span[payloadEnd] != (byte)'\n')
                {
                    throw Invalid("missing newline after header or payload");
                }
            }
            else
            {
                var newline = span[payloadStart..].IndexOf((byte)'\n');
                payloadEnd = newline < 0 ? span.Length : payloadStart + newline;
            }

            var item = new EnvelopeItem(type, rawHeader, body[payloadStart..payloadEnd], fields);
            if (item.ItemType == EnvelopeItemType.Integration)
            {
                throw Invalid("envelope contains internal items");
            }

            // Checked while parsing so an oversized envelope is refused at its first offending item.
            sizeLimits.Apply(item);
            requiresEvent |= EnvelopeItemTypes.RequiresEvent(item.ItemType);
            items.Add(item);
            pos = payloadEnd + 1;
        }

        if (requiresEvent && header.EventId is null)
        {
            header.EventId = EventIdFormat.NewId();
        }

        return new Envelope(header, items);
    }

    private static IngestException Invalid(params IReadOnlyList<string> causes) =>
        IngestException.BadRequest(InvalidEnvelopeDetail, causes);

    // JSON whitespace, which serde's stream reader skips before a value (so blank lines are tolerated).
    private static int SkipWhitespace(ReadOnlySpan<byte> span, int pos)
    {
        while (pos < span.Length && span[pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            pos++;
        }

        return pos;
    }

    private static int AfterHeader(ReadOnlySpan<byte> span, int pos)
    {
        if (pos == span.Length)
        {
            return pos;
        }

        return span[pos] == (byte)'\n' ? pos + 1 : throw Invalid("missing newline after header or payload");
    }

    private static EnvelopeHeader ReadEnvelopeHeader(ReadOnlyMemory<byte> body, ref int pos)
    {
        const string what = "invalid envelope header";
        var start = pos;
        string? eventId = null, dsn = null, sdkName = null, sdkVersion = null;
        DateTimeOffset? sentAt = null;
        try
        {
            var reader = new Utf8JsonReader(body.Span[pos..], ReaderOptions);
            ReadObjectStart(ref reader, what);
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("event_id"u8))
                {
                    var text = ReadOptionalString(ref reader, what);
                    if (text is not null && !EventIdFormat.TryNormalize(text, out eventId))
                    {
                        throw Invalid(what, "invalid event id");
                    }
                }
                else if (reader.ValueTextEquals("dsn"u8))
                {
                    dsn = ReadOptionalString(ref reader, what);
                    if (dsn is not null && !SentryDsn.TryParse(dsn, out _))
                    {
                        throw Invalid(what, "invalid dsn");
                    }
                }
                else if (reader.ValueTextEquals("sent_at"u8))
                {
                    var text = ReadOptionalString(ref reader, what);
                    if (text is not null)
                    {
                        sentAt = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                            ? parsed
                            : throw Invalid(what, "invalid sent_at timestamp");
                    }
                }
                else if (reader.ValueTextEquals("sdk"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (NextProperty(ref reader))
                        {
                            if (reader.ValueTextEquals("name"u8))
                            {
                                sdkName = ReadLenientString(ref reader);
                            }
                            else if (reader.ValueTextEquals("version"u8))
                            {
                                sdkVersion = ReadLenientString(ref reader);
                            }
                            else
                            {
                                reader.Read();
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            pos += (int)reader.BytesConsumed;
        }
        catch (JsonException e)
        {
            throw Invalid(what, e.Message);
        }

        var raw = body[start..pos];
        if (!Utf8.IsValid(raw.Span))
        {
            throw Invalid(what, "invalid UTF-8");
        }

        return new EnvelopeHeader(raw, eventId, dsn, sentAt, sdkName, sdkVersion);
    }

    private static (string Type, ItemHeaderFields Fields) ReadItemHeader(ReadOnlySpan<byte> span, ref int pos)
    {
        const string what = "invalid item header";
        string? type = null, contentType = null, filename = null, attachmentType = null, platform = null;
        int? length = null, itemCount = null;
        try
        {
            var reader = new Utf8JsonReader(span[pos..], ReaderOptions);
            ReadObjectStart(ref reader, what);
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = ReadOptionalString(ref reader, what);
                }
                else if (reader.ValueTextEquals("length"u8))
                {
                    length = ReadOptionalUInt32(ref reader, what);
                }
                else if (reader.ValueTextEquals("item_count"u8))
                {
                    itemCount = ReadOptionalUInt32(ref reader, what);
                }
                else if (reader.ValueTextEquals("content_type"u8))
                {
                    contentType = ReadOptionalString(ref reader, what);
                }
                else if (reader.ValueTextEquals("filename"u8))
                {
                    filename = ReadOptionalString(ref reader, what);
                }
                else if (reader.ValueTextEquals("attachment_type"u8))
                {
                    attachmentType = ReadOptionalString(ref reader, what);
                }
                else if (reader.ValueTextEquals("platform"u8))
                {
                    platform = ReadOptionalString(ref reader, what);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!Utf8.IsValid(span.Slice(pos, (int)reader.BytesConsumed)))
            {
                throw Invalid(what, "invalid UTF-8");
            }

            pos += (int)reader.BytesConsumed;
        }
        catch (JsonException e)
        {
            throw Invalid(what, e.Message);
        }

        if (type is null)
        {
            throw Invalid(what, "missing field `type`");
        }

        return (type, new ItemHeaderFields(length, contentType, filename, attachmentType, itemCount, platform));
    }

    private static void ReadObjectStart(ref Utf8JsonReader reader, string what)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid(what, "expected a JSON object");
        }
    }

    // Positions the reader on the next property name of the current object; false at its end.
    private static bool NextProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    private static string? ReadOptionalString(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => GetString(ref reader, what),
            JsonTokenType.Null => null,
            _ => throw Invalid(what, $"invalid type: expected a string, found {reader.TokenType}"),
        };
    }

    // sdk.name/version are informational: a wrong type is ignored rather than failing the envelope.
    private static string? ReadLenientString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return GetString(ref reader, "invalid envelope header");
        }

        reader.Skip();
        return null;
    }

    private static string GetString(ref Utf8JsonReader reader, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Invalid(what, "invalid UTF-8");
        }
    }

    private static int? ReadOptionalUInt32(ref Utf8JsonReader reader, string what)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        // Lengths beyond int.MaxValue cannot fit in a body we accepted anyway; they fail as EOF below
        // in Relay, here as an invalid header, both 400.
        return reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out var value) && value <= int.MaxValue
            ? (int)value
            : throw Invalid(what, "invalid value: expected u32");
    }
}
