using System.Text;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// Strings recently decoded by <see cref="EventJsonReader"/>, shared by every reader in the process: an issue's events
/// repeat the same file names, functions, modules, context lines and tag values, and reusing the string already decoded
/// saves decoding and allocating it again (a string's characters were the largest single share of the bytes a parse
/// allocated, measured under load).
/// </summary>
/// <remarks>
/// A direct-mapped table of <see cref="Slots"/> entries keyed by a hash of the UTF-8 bytes (<see cref="HashCode"/>, seeded
/// per process, so crafted inputs cannot aim at one slot across restarts); a new string replaces whatever was in its slot.
/// Only ASCII text up to <see cref="MaxLength"/> bytes is kept: its bytes compare with a string's characters one to
/// one, and the table holds at most <see cref="Slots"/> × <see cref="MaxLength"/> characters. Entries are immutable and
/// replaced whole, so concurrent readers see either entry and a race costs only a miss.
/// </remarks>
internal static class RecentStrings
{
    /// <summary>The longest text kept, in bytes.</summary>
    public const int MaxLength = 128;

    /// <summary>The table's size (a power of two).</summary>
    public const int Slots = 8192;

    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The string of <paramref name="utf8"/> (valid UTF-8, no escapes), shared with earlier reads when it was seen recently.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length is 0 or > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hashing = default(HashCode);
        hashing.AddBytes(utf8);
        var hash = hashing.ToHashCode();
        ref var slot = ref Table[hash & (Slots - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && entry.Hash == hash && entry.Value.Length == utf8.Length && System.Text.Ascii.Equals(utf8, entry.Value))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (value.Length == utf8.Length)
        {
            // As many characters as bytes: ASCII.
            Volatile.Write(ref slot, new Entry(hash, value));
        }

        return value;
    }

    private sealed record Entry(int Hash, string Value);
}
