using Grains.Ingestion.Envelopes;
using Grains.Monitoring.RateLimits;

namespace Grains.Monitoring.Tests.RateLimits;

public sealed class QuotaWindowTests
{
    // Relay: shift = org_id % window, slot = (now - shift) / window, the slot ends at (slot + 1) * window + shift.
    [Theory]
    [InlineData(60, 0, 1_700_000_000, 0, 28_333_333, 1_700_000_040)]
    [InlineData(60, 1, 1_700_000_000, 1, 28_333_333, 1_700_000_041)]
    [InlineData(60, 42, 1_700_000_000, 42, 28_333_332, 1_700_000_022)]
    [InlineData(60, 42, 1_700_000_022, 42, 28_333_333, 1_700_000_082)]
    [InlineData(60, 61, 1_700_000_000, 1, 28_333_333, 1_700_000_041)]
    [InlineData(3600, 7, 1_700_000_000, 7, 472_222, 1_700_002_807)]
    [InlineData(1, 12345, 1_700_000_000, 0, 1_700_000_000, 1_700_000_001)]
    [InlineData(86_400, 100_000, 1_700_000_000, 13_600, 19_675, 1_700_020_000)]
    public void Windows_start_at_the_organizations_shift(long window, long organization, long now, long shift, long slot, long end)
    {
        var w = new QuotaWindow(window, organization);
        Assert.Equal(shift, w.Shift);
        Assert.Equal(slot, w.Slot(now));
        Assert.Equal(end, w.End(w.Slot(now)));
        Assert.True(w.Start(slot) <= now && now < w.End(slot));
        Assert.Equal(window, w.End(slot) - w.Start(slot));
    }

    [Fact]
    public void Two_organizations_reset_at_different_seconds()
    {
        var a = new QuotaWindow(60, 1);
        var b = new QuotaWindow(60, 2);
        Assert.NotEqual(a.End(a.Slot(1_700_000_000)), b.End(b.Slot(1_700_000_000)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void A_window_must_be_positive(long seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuotaWindow(seconds, 1));

    [Fact]
    public void The_bucket_key_names_scope_id_categories_and_quota_id()
    {
        var quota = new Quota("k", QuotaScope.Key, "abc", 3, QuotaCategories.Errors, 5, 60, ReasonCodes.KeyQuota);
        Assert.Equal("key:abc:default;error;security:k", quota.BucketKey);
        Assert.True(quota.Matches(DataCategory.Error));
        Assert.True(quota.Matches(DataCategory.Security));
        Assert.False(quota.Matches(DataCategory.Internal));
        Assert.False(quota.Matches(DataCategory.Transaction));
        var all = quota with { Categories = QuotaCategories.All, Scope = QuotaScope.Organization, ScopeId = "3", Id = "o" };
        Assert.Equal("organization:3::o", all.BucketKey);
        Assert.True(all.Matches(DataCategory.Internal));
    }
}
