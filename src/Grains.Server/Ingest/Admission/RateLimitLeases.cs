using System.Collections.Concurrent;
using Grains.Monitoring.RateLimits;

namespace Grains.Server.Ingest.Admission;

/// <summary>
/// The silo's leases, one per bucket: spends quota locally and asks the bucket for another slice
/// (<c>limit / LeaseDivisor</c>, at least 1) only when a lease runs dry.
/// </summary>
public sealed partial class RateLimitLeases(IRateLimitBuckets buckets, TimeProvider time, ILogger<RateLimitLeases> logger)
{
    /// <summary>
    /// How long a quota of 0 is reported as limited (Relay's <c>REJECT_ALL_SECS</c>): such a quota has
    /// no window, and SDKs should come back only after a while.
    /// </summary>
    public const long RejectAllSeconds = 60;

    private readonly ConcurrentDictionary<string, EdgeLease> _leases = new(StringComparer.Ordinal);

    /// <summary>The slice an edge leases from a bucket of <paramref name="limit"/>.</summary>
    public static long SliceSize(long limit, int divisor) => Math.Max(1, limit / Math.Max(1, divisor));

    /// <summary>The lease divisor in use (<see cref="RateLimitOptions.LeaseDivisor"/>).</summary>
    public int LeaseDivisor { get; init; } = RateLimitOptions.DefaultLeaseDivisor;

    /// <summary>The edge's clock, in whole Unix seconds as Relay's windows count.</summary>
    public long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The lease of a bucket, if this silo has one.</summary>
    public EdgeLease? Find(Quota quota) => _leases.GetValueOrDefault(quota.BucketKey);

    /// <summary>
    /// Until when <paramref name="quota"/> is known to be limited, from memory only (0 when not known).
    /// A quota of 0 is always limited.
    /// </summary>
    public long KnownLimitedUntil(Quota quota, long now)
    {
        ArgumentNullException.ThrowIfNull(quota);
        if (quota.Limit == 0)
        {
            return now + RejectAllSeconds;
        }

        var until = Find(quota)?.LimitedUntil ?? 0;
        return until > now ? until : 0;
    }

    /// <summary>Spends <paramref name="quantity"/> items of <paramref name="quota"/>, leasing more from its bucket when needed.</summary>
    public async ValueTask<LeaseTake> TakeAsync(Quota quota, long quantity)
    {
        ArgumentNullException.ThrowIfNull(quota);
        var now = Now;
        if (quota.Limit == 0)
        {
            // Relay rejects a zero quota without counting it anywhere.
            return LeaseTake.Limited(now + RejectAllSeconds);
        }

        var lease = _leases.GetOrAdd(quota.BucketKey, static _ => new EdgeLease());
        var take = lease.TryTake(quantity, now);
        if (take.Status != LeaseTakeStatus.NeedsBudget)
        {
            return take;
        }

        await lease.Refill.WaitAsync().ConfigureAwait(false);
        try
        {
            // Another request may have refilled the lease while this one waited.
            now = Now;
            take = lease.TryTake(quantity, now);
            if (take.Status != LeaseTakeStatus.NeedsBudget)
            {
                return take;
            }

            var wanted = Math.Max(SliceSize(quota.Limit, LeaseDivisor), quantity);
            LeaseGrant grant;
            try
            {
                RateLimitInstruments.LeaseCalls.Add(1);
                grant = await buckets.AcquireAsync(quota.BucketKey, new LeaseRequest(quota.Limit, quota.WindowSeconds, quota.OrganizationId, wanted)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Fail open, as Relay does when Redis is unreachable: a quota must not turn an
                // unavailable bucket into lost events.
                LogBucketFailed(logger, exception, quota.BucketKey);
                return LeaseTake.Taken(0);
            }

            now = Now;
            lease.Add(grant, wanted, now);
            take = lease.TryTake(quantity, now);
            return take.Status == LeaseTakeStatus.NeedsBudget ? LeaseTake.Limited(now + Math.Max(1, grant.WindowEnd - grant.Now)) : take;
        }
        finally
        {
            lease.Refill.Release();
        }
    }

    /// <summary>Gives back what <see cref="TakeAsync"/> took, when another quota rejected the same item.</summary>
    public void Refund(Quota quota, long quantity, LeaseTake take)
    {
        ArgumentNullException.ThrowIfNull(quota);
        if (take.Status == LeaseTakeStatus.Taken && quantity > 0)
        {
            Find(quota)?.Refund(quantity, take.Until);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate-limit bucket {Bucket} did not answer; admitting without a lease")]
    private static partial void LogBucketFailed(ILogger logger, Exception exception, string bucket);
}
