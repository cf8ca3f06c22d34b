namespace Grains.Runtime;

/// <summary>
/// The identity of a grain: its type name and its key. A grain id names a logical grain that always
/// exists; activations come and go.
/// </summary>
/// <param name="Type">The grain type name (see <see cref="GrainTypeAttribute"/>).</param>
/// <param name="Key">The grain's key within its type.</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>The stable 64-bit hash of this id (see <see cref="StableHash"/>).</summary>
    public ulong StableHashCode => StableHash.Of(Type, Key);

    /// <summary>Parses the <c>type/key</c> form produced by <see cref="ToString"/>.</summary>
    public static GrainId Parse(string value)
    {
        var slash = value.IndexOf('/');
        if (slash <= 0)
        {
            throw new FormatException($"'{value}' is not a grain id of the form 'type/key'.");
        }

        return new GrainId(value[..slash], value[(slash + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
