using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// The numbers of one payload, parsed together at the end of <see cref="EventJsonReader"/>'s read: each number
/// becomes an element-backed <see cref="JsonValue"/>, as <c>JsonNode.Parse</c> makes them (it keeps its text, so huge
/// integers, -0 and 1e-320 stay as sent, and reads as any numeric type that can hold it). Parsing each number on
/// its own built a <see cref="JsonDocument"/> per number (three allocations, a few hundred bytes); an event has dozens
/// (line and column numbers, timestamps), so the reader leaves a null placeholder and this fills them all from one
/// document.
/// </summary>
internal sealed class DeferredNumbers
{
    private readonly List<Pending> _pending = new(32);
    private int _bytes;

    /// <summary>
    /// Notes the number token <paramref name="reader"/> is on, placed at <paramref name="index"/> of an array or of an
    /// object (its property <paramref name="name"/>; index -1: find it by name).
    /// </summary>
    public void Add(ref Utf8JsonReader reader, JsonNode parent, int index, string? name)
    {
        // The reader runs over one contiguous span: a number token is its value, no quotes or sequence.
        var length = reader.ValueSpan.Length;
        _pending.Add(new Pending(parent, index, name, (int)reader.TokenStartIndex, length));
        _bytes += length + 1;
    }

    /// <summary>Forgets the numbers placed under <paramref name="name"/> of <paramref name="parent"/> (a later value replaced them).</summary>
    public void Cancel(JsonNode parent, string name)
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            if (ReferenceEquals(_pending[i].Parent, parent) && _pending[i].Name == name)
            {
                _pending[i] = _pending[i] with { Parent = null };
            }
        }
    }

    /// <summary>Parses every noted number of <paramref name="json"/> (the payload read) and puts each in its place.</summary>
    public void Fill(ReadOnlySpan<byte> json)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        // "[n1,n2,…]": one document for all of them; the elements keep each number's text.
        var buffer = new byte[_bytes + 1];
        var written = 0;
        foreach (var pending in _pending)
        {
            buffer[written] = written == 0 ? (byte)'[' : (byte)',';
            written++;
            json.Slice(pending.Start, pending.Length).CopyTo(buffer.AsSpan(written));
            written += pending.Length;
        }

        buffer[written] = (byte)']';
        var reader = new Utf8JsonReader(buffer);
        var all = JsonElement.ParseValue(ref reader);
        var i = 0;
        foreach (var element in all.EnumerateArray())
        {
            var pending = _pending[i++];
            switch (pending.Parent)
            {
                case JsonArray array:
                    array[pending.Index] = JsonValue.Create(element);
                    break;
                case JsonObject obj when pending.Index >= 0:
                    // The property's position: no lookup by name.
                    obj.SetAt(pending.Index, JsonValue.Create(element));
                    break;
                case JsonObject obj:
                    obj[pending.Name!] = JsonValue.Create(element);
                    break;
            }
        }
    }

    private readonly record struct Pending(JsonNode? Parent, int Index, string? Name, int Start, int Length);
}
