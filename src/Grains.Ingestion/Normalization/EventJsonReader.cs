using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// Parses an event payload into a <see cref="JsonObject"/> that can be read everywhere without
/// exceptions: lone UTF-16 surrogates (<c>"\ud83d"</c>, a JavaScript string cut inside an emoji) in
/// keys and values become U+FFFD, and containers nested deeper than <see cref="EventDepth.MaxValues"/>
/// are removed; both are noted in <c>_meta</c>. System.Text.Json would accept those inputs at parse
/// time and throw later, on first access or when writing, which made them 500s.
/// </summary>
/// <remarks>
/// Built on <see cref="Utf8JsonReader"/> with an explicit stack and no depth limit, so any nesting the
/// body limit lets through is read without recursion and in linear time (<see cref="JsonDocument"/>
/// takes time quadratic in the depth). Relay refuses payloads nested deeper than 128 with a 400;
/// Grains keeps the event and cuts the value.
/// </remarks>
internal static class EventJsonReader
{
    /// <summary>Rule id of the <c>_meta</c> remark for a string whose lone surrogates were replaced.</summary>
    public const string SurrogateRule = "!utf16";

    private static readonly JsonReaderOptions Options = new() { MaxDepth = int.MaxValue };

    /// <summary>Parses <paramref name="json"/> (valid UTF-8) as a JSON object.</summary>
    /// <exception cref="IngestException">400 <c>invalid JSON data</c> for malformed JSON, duplicate keys or a non-object.</exception>
    public static JsonObject ReadObject(ReadOnlySpan<byte> json, MetaRecorder meta)
    {
        try
        {
            return Read(json, meta);
        }
        catch (JsonException e)
        {
            throw new IngestException(400, EventNormalizer.InvalidJsonDetail, e, e.Message);
        }
        catch (ArgumentException e)
        {
            // JsonObject.Add: the same key twice in one object.
            throw new IngestException(400, EventNormalizer.InvalidJsonDetail, e, e.Message);
        }
    }

    private static JsonObject Read(ReadOnlySpan<byte> json, MetaRecorder meta)
    {
        var reader = new Utf8JsonReader(json, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw IngestException.BadRequest(EventNormalizer.InvalidJsonDetail, "expected a JSON object");
        }

        // Containers are built when they close, from their members collected in buffers reused per depth, so
        // each gets storage of its exact size (adding members one by one grew an object's dictionary and an
        // array's list by doubling: about a sixth of the bytes a parse allocated, measured under load).
        var buffers = ContainerBuffers.Rent();
        try
        {
            var numbers = buffers.Numbers;
            var open = buffers.Open;
            open.Add(new OpenContainer(buffers.Members(0), IsArray: false, Slot: -1));
            string? name = null;
            var nameReplaced = false;
            JsonObject? root = null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    name = Name(ref reader, out nameReplaced);
                    if (open.Count == 1 && name == "_meta")
                    {
                        // Client-supplied _meta is dropped by the normalizer; do not build (or note) it.
                        reader.Skip();
                        continue;
                    }

                    meta.Push(name);
                    if (nameReplaced)
                    {
                        meta.Substituted(SurrogateRule);
                    }

                    continue;
                }

                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    var closed = open[^1];
                    open.RemoveAt(open.Count - 1);
                    JsonNode built = closed.IsArray ? closed.Members.BuildArray() : closed.Members.BuildObject();
                    if (closed.NumbersId >= 0)
                    {
                        numbers.Bind(closed.NumbersId, built);
                    }

                    if (open.Count == 0)
                    {
                        root = (JsonObject)built;
                        break;
                    }

                    open[^1].Members.Set(closed.Slot, built);
                    meta.Pop();
                    continue;
                }

                var parent = open[^1];

                // A value: its path is the property name just read, or its index in the array.
                if (parent.IsArray)
                {
                    meta.Push(parent.Members.Count);
                }

                JsonNode? value;
                var container = false;
                var isArray = false;
                var number = false;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when open.Count >= EventDepth.MaxValues:
                        meta.Removed();
                        reader.Skip();
                        value = null;
                        break;
                    case JsonTokenType.StartObject:
                        value = null; // built when it closes
                        container = true;
                        break;
                    case JsonTokenType.StartArray:
                        value = null;
                        container = true;
                        isArray = true;
                        break;
                    case JsonTokenType.String:
                    {
                        var text = Text(ref reader, out var replaced);
                        if (replaced)
                        {
                            meta.Substituted(SurrogateRule);
                        }

                        value = JsonValue.Create(text);
                        break;
                    }

                    case JsonTokenType.Number:
                        // A placeholder, replaced by the number once all of them are parsed (DeferredNumbers).
                        number = true;
                        value = null;
                        break;
                    case JsonTokenType.True:
                        value = JsonValue.Create(true);
                        break;
                    case JsonTokenType.False:
                        value = JsonValue.Create(false);
                        break;
                    default:
                        value = null;
                        break;
                }

                int slot;
                if (parent.IsArray || !nameReplaced)
                {
                    // A duplicate key fails when the object is built (ArgumentException, as JsonObject.Add threw).
                    slot = parent.Members.Add(parent.IsArray ? null : name, value);
                }
                else
                {
                    // Two keys that differ only in their broken surrogates: the last one wins, in the first one's place.
                    slot = parent.Members.Replace(name!, value);
                    if (slot >= 0)
                    {
                        numbers.Cancel(parent.NumbersId, slot);
                    }
                    else
                    {
                        slot = parent.Members.Add(name, value);
                    }
                }

                if (number)
                {
                    if (parent.NumbersId < 0)
                    {
                        parent = parent with { NumbersId = numbers.Register() };
                        open[^1] = parent;
                    }

                    numbers.Add(ref reader, parent.NumbersId, slot);
                }

                if (container)
                {
                    open.Add(new OpenContainer(buffers.Members(open.Count), isArray, slot));
                }
                else
                {
                    meta.Pop();
                }
            }

            numbers.Fill(json);
            return root ?? throw new JsonException("The JSON object is not closed.");
        }
        finally
        {
            ContainerBuffers.Return(buffers);
        }
    }

    private static string Name(ref Utf8JsonReader reader, out bool replaced)
    {
        if (!reader.ValueIsEscaped && PropertyNames.Find(reader.ValueSpan) is { } known)
        {
            replaced = false;
            return known;
        }

        return Text(ref reader, out replaced);
    }

    private static string Text(ref Utf8JsonReader reader, out bool replaced)
    {
        if (!reader.ValueIsEscaped)
        {
            replaced = false;
            return Encoding.UTF8.GetString(reader.ValueSpan);
        }

        return reader.HasValueSequence ? Decode(reader.ValueSequence.ToArray(), out replaced) : Decode(reader.ValueSpan, out replaced);
    }

    /// <summary>
    /// The text of a JSON string's contents (<paramref name="raw"/>: valid UTF-8 between the quotes,
    /// escapes not yet resolved); <paramref name="replaced"/> tells whether a lone surrogate escape
    /// was replaced by U+FFFD.
    /// </summary>
    internal static string Decode(ReadOnlySpan<byte> raw, out bool replaced)
    {
        replaced = false;
        var firstEscape = raw.IndexOf((byte)'\\');
        if (firstEscape < 0)
        {
            return Encoding.UTF8.GetString(raw);
        }

        var builder = new StringBuilder(raw.Length);
        var pos = 0;
        while (pos < raw.Length)
        {
            var escape = raw[pos..].IndexOf((byte)'\\');
            if (escape < 0)
            {
                builder.Append(Encoding.UTF8.GetString(raw[pos..]));
                break;
            }

            builder.Append(Encoding.UTF8.GetString(raw.Slice(pos, escape)));
            pos += escape;

            // The tokenizer has checked the escapes: a backslash is followed by one of "\/bfnrtu,
            // and \u by four hex digits.
            var kind = raw[pos + 1];
            if (kind != (byte)'u')
            {
                builder.Append(kind switch
                {
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    _ => (char)kind,
                });
                pos += 2;
                continue;
            }

            var unit = Hex(raw.Slice(pos + 2, 4));
            pos += 6;
            if (char.IsHighSurrogate(unit))
            {
                if (pos + 6 <= raw.Length && raw[pos] == (byte)'\\' && raw[pos + 1] == (byte)'u' && char.IsLowSurrogate(Hex(raw.Slice(pos + 2, 4))))
                {
                    builder.Append(unit).Append(Hex(raw.Slice(pos + 2, 4)));
                    pos += 6;
                    continue;
                }

                builder.Append('\uFFFD');
                replaced = true;
            }
            else if (char.IsLowSurrogate(unit))
            {
                builder.Append('\uFFFD');
                replaced = true;
            }
            else
            {
                builder.Append(unit);
            }
        }

        return builder.ToString();
    }

    private static char Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 4) | (digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                _ => digit - 'A' + 10,
            });
        }

        return (char)value;
    }
}
