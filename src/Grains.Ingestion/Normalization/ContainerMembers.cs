using System.Collections;
using System.Text.Json.Nodes;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// The members of one JSON object or array while <see cref="EventJsonReader"/> reads it, kept until it closes so the
/// node is built with storage of its exact size. One instance per nesting depth is reused for every container at that
/// depth (<see cref="ContainerBuffers"/>).
/// </summary>
/// <remarks>
/// It is its own enumerator: <see cref="JsonObject"/>'s constructor sizes its dictionary from
/// <see cref="Count"/> and enumerates once, and handing it <c>this</c> allocates no enumerator.
/// </remarks>
internal sealed class ContainerMembers : ICollection<KeyValuePair<string, JsonNode?>>, IEnumerator<KeyValuePair<string, JsonNode?>>
{
    private string?[] _names = new string?[16];
    private JsonNode?[] _values = new JsonNode?[16];
    private int _position = -1;

    public int Count { get; private set; }

    /// <summary>The larger of the two arrays' lengths (what an instance retains between reads).</summary>
    public int Capacity => _values.Length;

    public bool IsReadOnly => true;

    public KeyValuePair<string, JsonNode?> Current => new(_names[_position]!, _values[_position]);

    object IEnumerator.Current => Current;

    /// <summary>Appends a member (<paramref name="name"/> null in an array); returns its index.</summary>
    public int Add(string? name, JsonNode? value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _names, Count * 2);
            Array.Resize(ref _values, Count * 2);
        }

        _names[Count] = name;
        _values[Count] = value;
        return Count++;
    }

    /// <summary>Replaces the value of the member named <paramref name="name"/> (ordinal, as <see cref="JsonObject"/> compares); its index, or -1 when there is none.</summary>
    public int Replace(string name, JsonNode? value)
    {
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.Ordinal))
            {
                _values[i] = value;
                return i;
            }
        }

        return -1;
    }

    /// <summary>Puts <paramref name="value"/> at <paramref name="index"/> (a container that closed after its place was taken).</summary>
    public void Set(int index, JsonNode? value) => _values[index] = value;

    /// <summary>Builds the array of the members read and empties this buffer.</summary>
    public JsonArray BuildArray()
    {
        var array = new JsonArray(new ReadOnlySpan<JsonNode?>(_values, 0, Count));
        Clear();
        return array;
    }

    /// <summary>Builds the object of the members read and empties this buffer.</summary>
    /// <exception cref="ArgumentException">Two members have the same name.</exception>
    public JsonObject BuildObject()
    {
        try
        {
            return new JsonObject(this);
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Forgets the members (and the references to their nodes).</summary>
    public void Clear()
    {
        Array.Clear(_names, 0, Count);
        Array.Clear(_values, 0, Count);
        Count = 0;
        _position = -1;
    }

    public IEnumerator<KeyValuePair<string, JsonNode?>> GetEnumerator()
    {
        _position = -1;
        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext() => ++_position < Count;

    public void Reset() => _position = -1;

    public void Dispose()
    {
    }

    public void CopyTo(KeyValuePair<string, JsonNode?>[] array, int arrayIndex)
    {
        for (var i = 0; i < Count; i++)
        {
            array[arrayIndex + i] = new(_names[i]!, _values[i]);
        }
    }

    public bool Contains(KeyValuePair<string, JsonNode?> item) => throw new NotSupportedException();

    void ICollection<KeyValuePair<string, JsonNode?>>.Add(KeyValuePair<string, JsonNode?> item) => throw new NotSupportedException();

    public bool Remove(KeyValuePair<string, JsonNode?> item) => throw new NotSupportedException();
}
