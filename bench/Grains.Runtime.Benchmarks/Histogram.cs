using System.Diagnostics;

namespace Grains.Runtime.Benchmarks;

/// <summary>
/// A log-linear latency histogram over <see cref="Stopwatch"/> ticks (32 sub-buckets per power of
/// two, so a percentile is exact to about 3 %). One per caller, merged afterwards: recording is a
/// few instructions and never contended.
/// </summary>
internal sealed class Histogram
{
    private const int SubBits = 5;
    private const int Linear = 2 << SubBits; // values below this are their own bucket
    private readonly long[] _counts = new long[Linear + (64 - SubBits - 1) * (1 << SubBits)];

    public long Count { get; private set; }

    public void Record(long ticks)
    {
        _counts[Index(Math.Max(0, ticks))]++;
        Count++;
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), in microseconds.</summary>
    public double PercentileMicroseconds(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, rank))
            {
                return Midpoint(i) * 1_000_000.0 / Stopwatch.Frequency;
            }
        }

        return double.NaN;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        var log = 63 - (int)long.LeadingZeroCount(value); // >= SubBits + 1
        var sub = (int)(value >> (log - SubBits)) & ((1 << SubBits) - 1);
        return Linear + (log - SubBits - 1) * (1 << SubBits) + sub;
    }

    private static double Midpoint(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var offset = index - Linear;
        var log = offset / (1 << SubBits) + SubBits + 1;
        var sub = offset % (1 << SubBits);
        var low = (1L << log) + ((long)sub << (log - SubBits));
        var width = 1L << (log - SubBits);
        return low + width / 2.0;
    }
}
