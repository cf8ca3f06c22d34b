namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// The issue's windowed counts (<see cref="IIssueRates"/>), kept in its grain state and bounded in size.
/// </summary>
/// <remarks>
/// <para>
/// Scheme: sparse minute buckets for the current and the previous hour, and sparse hour buckets for
/// <see cref="HourRetention"/> (62 days: a 30-day frequency interval plus the same interval
/// <c>comparisonInterval</c> = 30 days earlier, plus margin). A bucket holds its event count and the
/// 64-bit hashes of its distinct users, at most <see cref="UsersPerBucket"/>; further distinct users of
/// a full bucket are counted in <see cref="RateBucket.ExtraUsers"/> (a user already counted there can be
/// counted again, so beyond the cap the user count is an upper bound). Hour buckets older than
/// <see cref="UserSetRetention"/> (8 days: the longest snooze user window, one week, plus margin) drop
/// their hash sets and keep only their size in <see cref="RateBucket.ExtraUsers"/>, so counts across
/// such old hours add up rather than union (again an upper bound).
/// </para>
/// <para>
/// A range is counted from minute buckets where they exist (the last one to two hours) and from hour
/// buckets before that; an hour only partly inside the range contributes its events and users in
/// proportion to the overlap (the newest bucket ends at the newest received time). Worst case size: 120 minute and 1,488 hour buckets of a few words, plus
/// (120 + 192) × 64 user hashes ≈ 200 KB for an issue with 64+ distinct users in every minute; a
/// typical issue holds a handful of buckets.
/// </para>
/// </remarks>
[GenerateSerializer, Alias("Grains.Monitoring.IssueRates")]
public sealed class IssueRates : IIssueRates
{
    /// <summary>How long hour buckets are kept.</summary>
    public static readonly TimeSpan HourRetention = TimeSpan.FromDays(62);

    /// <summary>How long hour buckets keep their user hashes.</summary>
    public static readonly TimeSpan UserSetRetention = TimeSpan.FromDays(8);

    /// <summary>Distinct user hashes kept per bucket.</summary>
    public const int UsersPerBucket = 64;

    private const long Minute = 60;
    private const long Hour = 3600;

    /// <summary>Minute buckets by unix start second.</summary>
    [Id(0)]
    public SortedDictionary<long, RateBucket> Minutes { get; set; } = [];

    /// <summary>Hour buckets by unix start second.</summary>
    [Id(1)]
    public SortedDictionary<long, RateBucket> Hours { get; set; } = [];

    /// <summary>The newest received time seen (unix seconds): the clock that prunes.</summary>
    [Id(2)]
    public long Now { get; set; }

    /// <summary>Counts one applied event at <paramref name="timestamp"/> (clamped to <paramref name="received"/>).</summary>
    public void Add(DateTimeOffset timestamp, DateTimeOffset received, string? userKey)
    {
        var at = (timestamp > received ? received : timestamp).ToUnixTimeSeconds();
        Now = Math.Max(Now, received.ToUnixTimeSeconds());
        Prune();
        var user = userKey is null ? (ulong?)null : Aggregates.HyperLogLog.Hash(userKey);
        if (at >= MinuteHorizon)
        {
            Bucket(Minutes, StartOf(at, Minute)).Add(user);
        }

        if (at >= Now - (long)HourRetention.TotalSeconds)
        {
            Bucket(Hours, StartOf(at, Hour)).Add(user);
        }
    }

    /// <inheritdoc />
    public long EventsBetween(DateTimeOffset from, DateTimeOffset to) => Count(from, to, countUsers: false).Events;

    /// <inheritdoc />
    public long UsersBetween(DateTimeOffset from, DateTimeOffset to) => Count(from, to, countUsers: true).Users;

    /// <summary>Buckets held (for the size bound).</summary>
    public int BucketCount => Minutes.Count + Hours.Count;

    /// <summary>User hashes held (for the size bound).</summary>
    public int UserHashCount => Minutes.Values.Sum(b => b.Users?.Count ?? 0) + Hours.Values.Sum(b => b.Users?.Count ?? 0);

    // Minute buckets exist from the start of the previous hour (of the newest received time) on.
    private long MinuteHorizon => StartOf(Now, Hour) - Hour;

    private static long StartOf(long seconds, long unit) => seconds - (((seconds % unit) + unit) % unit);

    private static RateBucket Bucket(SortedDictionary<long, RateBucket> buckets, long start)
    {
        if (!buckets.TryGetValue(start, out var bucket))
        {
            buckets[start] = bucket = new RateBucket();
        }

        return bucket;
    }

    private void Prune()
    {
        var horizon = MinuteHorizon;
        while (Minutes.Count > 0 && Minutes.First().Key < horizon)
        {
            Minutes.Remove(Minutes.First().Key);
        }

        var oldest = Now - (long)HourRetention.TotalSeconds;
        while (Hours.Count > 0 && Hours.First().Key + Hour <= oldest)
        {
            Hours.Remove(Hours.First().Key);
        }

        var setHorizon = Now - (long)UserSetRetention.TotalSeconds;
        foreach (var (start, bucket) in Hours)
        {
            if (start >= setHorizon)
            {
                break;
            }

            bucket.DropUsers();
        }
    }

    // An event count (the common rule) builds no user set: it ran for every event of every count rule.
    private (long Events, long Users) Count(DateTimeOffset fromTime, DateTimeOffset toTime, bool countUsers)
    {
        // Whole seconds: the start rounds down and the end rounds up, so a window ending just after
        // an event (a tick past its second) still covers that second entirely, wherever in its minute
        // bucket it falls; rounding the end down once counted the current second in proportion.
        var from = fromTime.ToUnixTimeSeconds();
        var to = toTime.ToUnixTimeSeconds();
        if (toTime > DateTimeOffset.FromUnixTimeSeconds(to))
        {
            to++;
        }
        if (to <= from)
        {
            return (0, 0);
        }

        var users = countUsers ? new HashSet<ulong>() : null;
        double events = 0;
        double extra = 0;
        var horizon = Minutes.Count > 0 ? MinuteHorizon : long.MaxValue;

        // Minute buckets cover [horizon, ∞); a minute counts in proportion as well (ranges in seconds).
        foreach (var (start, bucket) in Minutes)
        {
            Take(start, Minute, bucket);
        }

        foreach (var (start, bucket) in Hours)
        {
            if (start >= horizon)
            {
                break;
            }

            // The part of an hour that minute buckets cover is counted there.
            var end = Math.Min(start + Hour, horizon);
            if (end > start)
            {
                Take(start, Hour, bucket, end);
            }
        }

        return ((long)Math.Round(events), (users?.Count ?? 0) + (long)Math.Round(extra));

        void Take(long start, long length, RateBucket bucket, long? cut = null)
        {
            // No event is later than the newest received time: the current bucket ends there.
            var end = Math.Min(start + length, Math.Max(Now + 1, start + 1));
            length = end - start;
            var overlap = Math.Min(end, Math.Min(to, cut ?? long.MaxValue)) - Math.Max(start, from);
            if (overlap <= 0)
            {
                return;
            }

            if (overlap >= length)
            {
                events += bucket.Events;
                extra += bucket.ExtraUsers;
                if (users is not null && bucket.Users is not null)
                {
                    users.UnionWith(bucket.Users);
                }

                return;
            }

            var share = (double)overlap / length;
            events += bucket.Events * share;
            extra += ((bucket.Users?.Count ?? 0) + bucket.ExtraUsers) * share;
        }
    }
}
