using Grains.Monitoring.RateLimits;
using Grains.Server.Ingest.Admission;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grains.Server.Tests.RateLimits;

public sealed class LeaseTests
{
    private const long Start = 1_700_000_000; // org 0, window 60: this window ends at 1_700_000_040

    private static Quota Key(long limit, long window = 60) =>
        new("k", QuotaScope.Key, "0123456789abcdef0123456789abcdef", 0, QuotaCategories.Errors, limit, window, ReasonCodes.KeyQuota);

    [Theory]
    [InlineData(1, 20, 1)]
    [InlineData(5, 20, 1)]
    [InlineData(19, 20, 1)]
    [InlineData(20, 20, 1)]
    [InlineData(100, 20, 5)]
    [InlineData(1000, 20, 50)]
    [InlineData(1000, 1, 1000)]
    [InlineData(1000, 0, 1000)]
    [InlineData(0, 20, 1)]
    public void A_slice_is_the_limit_over_the_divisor_and_at_least_one(long limit, int divisor, long slice) =>
        Assert.Equal(slice, RateLimitLeases.SliceSize(limit, divisor));

    [Fact]
    public async Task One_edge_admits_exactly_the_limit_and_then_rejects_from_memory_until_the_window_ends()
    {
        var clock = new ManualClock(Start);
        var buckets = new CountingBuckets(clock);
        var leases = new RateLimitLeases(buckets, clock, NullLogger<RateLimitLeases>.Instance);
        var quota = Key(100);

        var admitted = 0;
        for (var i = 0; i < 150; i++)
        {
            if ((await leases.TakeAsync(quota, 1)).Status == LeaseTakeStatus.Taken)
            {
                admitted++;
            }
        }

        Assert.Equal(100, admitted);
        // 100 / 20 = slices of 5: 20 grants, and one more call that learned the bucket is empty.
        Assert.Equal(21, buckets.Calls);
        var rejected = await leases.TakeAsync(quota, 1);
        Assert.Equal(LeaseTakeStatus.Limited, rejected.Status);
        Assert.Equal(Start + 40, rejected.Until);
        Assert.Equal(Start + 40, leases.KnownLimitedUntil(quota, Start));

        clock.Now = Start + 39;
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(LeaseTakeStatus.Limited, (await leases.TakeAsync(quota, 1)).Status);
        }

        Assert.Equal(21, buckets.Calls);

        clock.Now = Start + 40;
        Assert.Equal(0, leases.KnownLimitedUntil(quota, clock.Now));
        Assert.Equal(LeaseTakeStatus.Taken, (await leases.TakeAsync(quota, 1)).Status);
        Assert.Equal(22, buckets.Calls);
    }

    [Fact]
    public async Task A_quota_of_zero_rejects_everything_for_sixty_seconds_without_a_bucket()
    {
        var clock = new ManualClock(Start);
        var buckets = new CountingBuckets(clock);
        var leases = new RateLimitLeases(buckets, clock, NullLogger<RateLimitLeases>.Instance);
        var take = await leases.TakeAsync(Key(0), 1);
        Assert.Equal(LeaseTakeStatus.Limited, take.Status);
        Assert.Equal(Start + 60, take.Until);
        Assert.Equal(Start + 60, leases.KnownLimitedUntil(Key(0), Start));
        Assert.Equal(0, buckets.Calls);
    }

    [Fact]
    public async Task Items_larger_than_a_slice_lease_what_they_need_and_a_refund_returns_it()
    {
        var clock = new ManualClock(Start);
        var buckets = new CountingBuckets(clock);
        var leases = new RateLimitLeases(buckets, clock, NullLogger<RateLimitLeases>.Instance);
        var quota = Key(100);
        var take = await leases.TakeAsync(quota, 30);
        Assert.Equal(LeaseTakeStatus.Taken, take.Status);
        Assert.Equal(0, leases.Find(quota)!.Remaining(Start));
        leases.Refund(quota, 30, take);
        Assert.Equal(30, leases.Find(quota)!.Remaining(Start));
        Assert.Equal(LeaseTakeStatus.Limited, (await leases.TakeAsync(quota, 101)).Status);
        // The refused item took nothing from the window: the rest is still there.
        Assert.Equal(LeaseTakeStatus.Taken, (await leases.TakeAsync(quota, 70)).Status);
    }

    [Fact]
    public async Task Concurrent_requests_on_an_empty_lease_make_one_bucket_call_per_slice()
    {
        var clock = new ManualClock(Start);
        var buckets = new CountingBuckets(clock);
        var leases = new RateLimitLeases(buckets, clock, NullLogger<RateLimitLeases>.Instance);
        var quota = Key(1000);
        var takes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => leases.TakeAsync(quota, 1).AsTask()));
        Assert.All(takes, t => Assert.Equal(LeaseTakeStatus.Taken, t.Status));
        Assert.Equal(4, buckets.Calls); // slices of 50
    }

    /// <summary>
    /// The documented bound (docs/runtime.md, "Rate limits"): a grant's travel time lets a lease be
    /// spent a moment after the bucket's window turned, so one bucket window may admit up to one slice
    /// per silo more than its limit; never more. Clocks that disagree between silos change nothing.
    /// Demand is either about the limit (budget left at the window's end: the case that overshoots) or
    /// three times it.
    /// </summary>
    [Theory]
    [InlineData(100, 20, 0, 0, 1.0)]
    [InlineData(100, 20, 20, 0, 1.0)]
    [InlineData(100, 20, 3, 0, 3.0)]
    [InlineData(100, 20, 0, 1, 1.0)]
    [InlineData(100, 20, 7, 1, 1.0)]
    [InlineData(100, 20, 7, 1, 3.0)]
    [InlineData(7, 20, 5, 1, 1.0)]
    [InlineData(1000, 20, 10, 1, 1.0)]
    [InlineData(1000, 3, 10, 1, 1.0)]
    [InlineData(1000, 3, 10, 2, 3.0)]
    public async Task Overshoot_per_window_is_at_most_one_slice_per_silo(long limit, int divisor, long skew, long latency, double demand)
    {
        var bucketClock = new ManualClock(Start);
        var buckets = new CountingBuckets(bucketClock) { LatencySeconds = latency };
        var clocks = new[] { new ManualClock(Start), new ManualClock(Start - skew), new ManualClock(Start + skew) };
        var silos = clocks.Select(c => new RateLimitLeases(buckets, c, NullLogger<RateLimitLeases>.Instance) { LeaseDivisor = divisor }).ToArray();
        var quota = Key(limit);
        var slice = RateLimitLeases.SliceSize(limit, divisor);

        // Admitted items by the bucket's window (the real time of the admission).
        var perWindow = new Dictionary<long, long>();
        var random = new Random(17);
        const int Seconds = 600;
        for (var second = 0; second < Seconds; second++)
        {
            bucketClock.Now = Start + second;
            clocks[0].Now = Start + second;
            clocks[1].Now = Start + second - skew;
            clocks[2].Now = Start + second + skew;
            var requests = random.Next(0, (int)Math.Ceiling(2 * demand * limit / 60.0) + 1);
            for (var request = 0; request < requests; request++)
            {
                var silo = silos[random.Next(silos.Length)];
                if ((await silo.TakeAsync(quota, 1)).Status == LeaseTakeStatus.Taken)
                {
                    var window = quota.Window.Slot(bucketClock.Now);
                    perWindow[window] = perWindow.GetValueOrDefault(window) + 1;
                }
            }
        }

        Assert.NotEmpty(perWindow);
        var worst = perWindow.Values.Max();
        Assert.True(worst <= limit + silos.Length * slice, $"a window admitted {worst} > {limit} + {silos.Length} x {slice}");
        if (latency == 0)
        {
            // Skewed clocks alone never overshoot: a lease lives as long as the bucket said, on the edge's clock.
            Assert.True(worst <= limit, $"without latency a window admitted {worst} > {limit}");
        }

        if (demand >= 3)
        {
            // Demand exceeds the limit in every window, so the budget is spent: each full window admits
            // at least the limit less what may sit unspent in the silos' leases.
            var first = quota.Window.Slot(Start);
            var last = quota.Window.Slot(Start + Seconds - 1);
            Assert.All(perWindow.Where(w => w.Key > first && w.Key < last), w =>
                Assert.True(w.Value >= limit - silos.Length * slice, $"window {w.Key} admitted only {w.Value}"));
        }
    }
}
