using System.Globalization;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The buckets of <see cref="IIssueStore.GetStatsAsync"/>: the backend reads the hourly counts of
/// <see cref="IssueIds"/> in [<see cref="From"/>, <see cref="To"/>) and <see cref="Add"/>s each row.
/// </summary>
public sealed class IssueStatsWindow
{
    private readonly Dictionary<long, long[]> _counts = [];
    private readonly int _buckets;

    private IssueStatsWindow(long bucketSeconds, int buckets, long from)
    {
        BucketSeconds = bucketSeconds;
        _buckets = buckets;
        From = from;
        To = from + (buckets * bucketSeconds);
    }

    public long BucketSeconds { get; }

    /// <summary>The first bucket's start (unix seconds).</summary>
    public long From { get; }

    /// <summary>The end of the last bucket (exclusive).</summary>
    public long To { get; }

    /// <summary>The distinct issues asked for.</summary>
    public IReadOnlyCollection<long> IssueIds => _counts.Keys;

    /// <exception cref="ArgumentException"><paramref name="period"/> is not <c>{n}h</c> (1–168) or <c>{n}d</c> (1–90).</exception>
    public static IssueStatsWindow Create(IReadOnlyList<long> issueIds, string period, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(issueIds);
        ArgumentNullException.ThrowIfNull(period);
        var (bucketSeconds, buckets) = ParsePeriod(period);
        var nowSeconds = now.ToUnixTimeSeconds();
        var lastStart = nowSeconds - (((nowSeconds % bucketSeconds) + bucketSeconds) % bucketSeconds);
        var window = new IssueStatsWindow(bucketSeconds, buckets, lastStart - ((buckets - 1) * bucketSeconds));
        foreach (var id in issueIds)
        {
            window._counts.TryAdd(id, new long[buckets]);
        }

        return window;
    }

    /// <summary>Adds an hourly count (the hour must lie in the window).</summary>
    public void Add(long issueId, long hourStart, long count) => _counts[issueId][(hourStart - From) / BucketSeconds] += count;

    /// <summary>Per issue, every bucket as (unix start, count).</summary>
    public IReadOnlyDictionary<long, IReadOnlyList<(long Start, long Count)>> Result()
    {
        var result = new Dictionary<long, IReadOnlyList<(long Start, long Count)>>(_counts.Count);
        foreach (var (id, values) in _counts)
        {
            var series = new (long Start, long Count)[_buckets];
            for (var i = 0; i < _buckets; i++)
            {
                series[i] = (From + (i * BucketSeconds), values[i]);
            }

            result[id] = series;
        }

        return result;
    }

    private static (long BucketSeconds, int Buckets) ParsePeriod(string period)
    {
        var unit = period.Length > 1 ? period[^1] : '\0';
        if (int.TryParse(period.AsSpan(0, Math.Max(0, period.Length - 1)), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            if (unit == 'h' && count is >= 1 and <= 168)
            {
                return (3600, count);
            }

            if (unit == 'd' && count is >= 1 and <= 90)
            {
                return (86400, count);
            }
        }

        throw new ArgumentException($"Unknown stats period '{period}' (expected e.g. 24h or 14d).", nameof(period));
    }
}
