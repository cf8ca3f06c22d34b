namespace Grains.Monitoring.Aggregates;

/// <summary>
/// A HyperLogLog distinct counter with 2^12 registers (4 KiB): standard error 1.04/√4096 ≈ 1.6 %,
/// within the 2 % the product promises for user counts beyond the exact range.
/// </summary>
public sealed class HyperLogLog
{
    public const int Precision = 12;
    private const int RegisterCount = 1 << Precision;

    public HyperLogLog() => Registers = new byte[RegisterCount];

    public HyperLogLog(byte[] registers)
    {
        if (registers.Length != RegisterCount)
        {
            throw new ArgumentException($"A HyperLogLog state has {RegisterCount} registers.", nameof(registers));
        }

        Registers = registers;
    }

    /// <summary>The registers (persisted as the counter's state).</summary>
    public byte[] Registers { get; }

    /// <summary>Adds a well-mixed 64-bit hash.</summary>
    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(System.Numerics.BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > Registers[index])
        {
            Registers[index] = rank;
        }
    }

    /// <summary>The estimated number of distinct hashes added.</summary>
    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var register in Registers)
        {
            sum += Math.ScaleB(1.0, -register);
            if (register == 0)
            {
                zeros++;
            }
        }

        const double m = RegisterCount;
        var alpha = 0.7213 / (1 + 1.079 / m);
        var estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0)
        {
            // Small range: linear counting is more accurate.
            estimate = m * Math.Log(m / zeros);
        }

        return (long)Math.Round(estimate);
    }

    /// <summary>A 64-bit mix of a string (FNV-1a then the splitmix64 finalizer), stable across processes.</summary>
    public static ulong Hash(string value)
    {
        var hash = Fnv1a64(Fnv1a64(OffsetBasis, "user"), "\0");
        hash = Fnv1a64(hash, value);
        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }

    private const ulong OffsetBasis = 14695981039346656037UL;

    /// <summary>FNV-1a 64 over the UTF-8 bytes of <paramref name="value"/>, continuing from <paramref name="hash"/>. Stored sketches depend on it: never change it.</summary>
    private static ulong Fnv1a64(ulong hash, string value)
    {
        const ulong prime = 1099511628211UL;
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var written = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < written; i++)
            {
                hash = (hash ^ buffer[i]) * prime;
            }
        }

        return hash;
    }
}
