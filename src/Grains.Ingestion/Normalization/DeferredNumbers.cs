using System.Buffers;
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

    // The containers holding numbers, by id; each is built (and bound) when it closes, before Fill.
    private readonly List<JsonNode?> _containers = new(8);
    private int _bytes;

    /// <summary>Gives a container that holds numbers its id (it is bound to its node by <see cref="Bind"/> once built).</summary>
    public int Register()
    {
        _containers.Add(null);
        return _containers.Count - 1;
    }

    /// <summary>The node of the container <paramref name="id"/> (an object or an array), once built.</summary>
    public void Bind(int id, JsonNode container) => _containers[id] = container;

    /// <summary>
    /// Notes the number token <paramref name="reader"/> is on, placed at <paramref name="index"/> among the members of the
    /// container <paramref name="id"/>.
    /// </summary>
    public void Add(ref Utf8JsonReader reader, int id, int index)
    {
        // The reader runs over one contiguous span: a number token is its value, no quotes or sequence.
        var length = reader.ValueSpan.Length;
        _pending.Add(new Pending(id, index, (int)reader.TokenStartIndex, length));
        _bytes += length + 1;
    }

    /// <summary>Forgets the numbers placed at <paramref name="index"/> of the container <paramref name="id"/> (a later value replaced them).</summary>
    public void Cancel(int id, int index)
    {
        if (id < 0)
        {
            return;
        }

        for (var i = 0; i < _pending.Count; i++)
        {
            if (_pending[i].Container == id && _pending[i].Index == index)
            {
                _pending[i] = _pending[i] with { Container = -1 };
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

        // "[n1,n2,…]": one document for all of them; the elements keep each number's text. The document copies what
        // it parses, so the text is assembled in a pooled array.
        var buffer = ArrayPool<byte>.Shared.Rent(_bytes + 1);
        try
        {
            FillFrom(json, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Room held for noted numbers and containers (what an instance retains between reads).</summary>
    public int Capacity => Math.Max(_pending.Capacity, _containers.Capacity);

    /// <summary>Forgets every number and container noted (the instance is reused for the thread's next read).</summary>
    public void Clear()
    {
        _pending.Clear();
        _containers.Clear();
        _bytes = 0;
    }

    private void FillFrom(ReadOnlySpan<byte> json, byte[] buffer)
    {
        var written = 0;
        foreach (var pending in _pending)
        {
            buffer[written] = written == 0 ? (byte)'[' : (byte)',';
            written++;
            json.Slice(pending.Start, pending.Length).CopyTo(buffer.AsSpan(written));
            written += pending.Length;
        }

        buffer[written] = (byte)']';
        var reader = new Utf8JsonReader(buffer.AsSpan(0, written + 1));
        var all = JsonElement.ParseValue(ref reader);
        var i = 0;
        foreach (var element in all.EnumerateArray())
        {
            var pending = _pending[i++];
            switch (pending.Container < 0 ? null : _containers[pending.Container])
            {
                case JsonArray array:
                    array[pending.Index] = JsonValue.Create(element);
                    break;
                case JsonObject obj:
                    // The property's position: no lookup by name.
                    obj.SetAt(pending.Index, JsonValue.Create(element));
                    break;
            }
        }
    }

    private readonly record struct Pending(int Container, int Index, int Start, int Length);
}
