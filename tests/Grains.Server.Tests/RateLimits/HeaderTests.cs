using System.Collections.Immutable;
using Grains.Ingestion.Envelopes;
using Grains.Monitoring.RateLimits;
using Grains.Server.Ingest.Admission;

namespace Grains.Server.Tests.RateLimits;

public sealed class HeaderTests
{
    private static Quota Q(string id, QuotaScope scope, string scopeId, ImmutableArray<DataCategory> categories, string reason) =>
        new(id, scope, scopeId, 1, categories, 10, 60, reason);

    public static TheoryData<ActiveRateLimit[], string, long> Cases => new()
    {
        { [new(Q("k", QuotaScope.Key, "abc", QuotaCategories.Errors, ReasonCodes.KeyQuota), 60)], "60:default;error;security:key:key_quota", 60 },
        { [new(Q("p", QuotaScope.Project, "2", QuotaCategories.Errors, ReasonCodes.ProjectQuota), 42)], "42:default;error;security:project:project_quota", 42 },
        { [new(Q("o", QuotaScope.Organization, "1", QuotaCategories.All, ReasonCodes.OrgQuota), 60)], "60::organization:org_quota", 60 },
        { [new(Q("s", QuotaScope.Project, "2", [DataCategory.Transaction], ReasonCodes.SmartRateLimit), 2700)], "2700:transaction:project:smart_rate_limit", 2700 },
        {
            [
                new(Q("k", QuotaScope.Key, "abc", QuotaCategories.Errors, ReasonCodes.KeyQuota), 12),
                new(Q("o", QuotaScope.Organization, "1", QuotaCategories.Errors, ReasonCodes.OrgQuota), 2700),
            ],
            "12:default;error;security:key:key_quota, 2700:default;error;security:organization:org_quota",
            2700
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Limits_are_written_as_Relay_writes_them(ActiveRateLimit[] limits, string header, long retryAfter)
    {
        Assert.Equal(header, RateLimitHeader.Format(limits));
        Assert.Equal(retryAfter, RateLimitHeader.RetryAfter(limits));
    }

    [Fact]
    public void The_same_limit_twice_is_written_once_with_the_longer_retry()
    {
        var key = Q("k", QuotaScope.Key, "abc", QuotaCategories.Errors, ReasonCodes.KeyQuota);
        var other = Q("k", QuotaScope.Key, "def", QuotaCategories.Errors, ReasonCodes.KeyQuota);
        var limits = new List<ActiveRateLimit>();
        RateLimitHeader.Merge(limits, new(key, 10));
        RateLimitHeader.Merge(limits, new(key, 30));
        RateLimitHeader.Merge(limits, new(key, 20));
        RateLimitHeader.Merge(limits, new(other, 5));
        Assert.Equal("30:default;error;security:key:key_quota, 5:default;error;security:key:key_quota", RateLimitHeader.Format(limits));
    }

    [Fact]
    public void The_body_detail_is_Relays()
    {
        Assert.Equal(
            "Sentry dropped data due to a quota or internal rate limit being reached. This will not affect your application. See https://docs.sentry.io/product/accounts/quotas/ for more information.",
            RateLimitHeader.Detail);
    }
}
