using System.Text;

namespace Grains.Runtime;

/// <summary>
/// A hash that is stable across processes, machines and .NET versions (unlike
/// <see cref="string.GetHashCode()"/>): FNV-1a 64 over the UTF-8 bytes of the grain type, a zero
/// byte, and the key. Partition assignment depends on it, so it must never change.
/// </summary>
public static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>Hashes a grain type and key.</summary>
    public static ulong Of(string type, string key)
    {
        var hash = Append(OffsetBasis, type);
        hash = (hash ^ 0) * Prime;
        return Append(hash, key);
    }

    /// <summary>Hashes one string (rendezvous placement, say).</summary>
    public static ulong Fnv1a64(string value) => Append(OffsetBasis, value);

    /// <summary>The partition of a grain id for a partition count.</summary>
    public static int Partition(GrainId id, int partitionCount) => (int)(id.StableHashCode % (ulong)partitionCount);

    private static ulong Append(ulong hash, string value)
    {
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value < 0x80)
            {
                hash = (hash ^ (uint)rune.Value) * Prime;
                continue;
            }

            // Hash the UTF-8 encoding so the result does not depend on the string's UTF-16 layout.
            var written = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < written; i++)
            {
                hash = (hash ^ buffer[i]) * Prime;
            }
        }

        return hash;
    }
}
