using Grains.Monitoring.RateLimits;
using Grains.Monitoring.Storage;
using Grains.Server.Ingest.Admission;

namespace Grains.Server.Tests.RateLimits;

public sealed class QuotaResolverTests
{
    private static readonly ProjectRecord Project = new() { Id = 7, OrganizationId = 3, Slug = "web", Name = "Web", DateCreated = DateTimeOffset.UnixEpoch };

    private static ProjectKeyRecord Key(long? count = null, long? window = null) => new()
    {
        ProjectId = 7, Name = "Default", PublicKey = new string('a', 32), SecretKey = new string('b', 32), DateCreated = DateTimeOffset.UnixEpoch,
        RateLimitCount = count, RateLimitWindow = window,
    };

    private static RateLimitOptions Settings(long? org = null, long? project = null, int share = 100) => new()
    {
        Organization = new QuotaSetting { Count = org, Window = 3600 },
        Project = new QuotaSetting { Count = project, Window = 600 },
        ProjectSharePercent = share,
    };

    private static ScopeRateLimitRecord Org(long? count, long? window, int? share = null) => new(ScopeRateLimitRecord.Organization, 3, count, window, share);

    private static ScopeRateLimitRecord Proj(long? count, long? window) => new(ScopeRateLimitRecord.Project, 7, count, window, null);

    public static TheoryData<string, ProjectKeyRecord, ScopeRateLimitRecord?, ScopeRateLimitRecord?, int?, RateLimitOptions, string[]> Cases => new()
    {
        { "nothing configured", Key(), null, null, null, Settings(), [] },
        { "key limit", Key(5, 60), null, null, null, Settings(), ["key:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:default;error;security:k 5/60 key_quota"] },
        { "key count without window is none", Key(5, null), null, null, null, Settings(), [] },
        { "key window 0 counts nothing", Key(5, 0), null, null, null, Settings(), [] },
        { "key count 0 rejects all even without a window", Key(0, 0), null, null, null, Settings(), ["key:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:default;error;security:k 0/1 key_quota"] },
        { "project from settings", Key(), null, null, null, Settings(project: 100), ["project:7:default;error;security:p 100/600 project_quota"] },
        { "project from the API replaces settings", Key(), null, Proj(10, 60), null, Settings(project: 100), ["project:7:default;error;security:p 10/60 project_quota"] },
        { "organization from settings, whole share", Key(), null, null, null, Settings(org: 1000), ["organization:3:default;error;security:o 1000/3600 org_quota"] },
        {
            "organization with a share from settings", Key(), null, null, null, Settings(org: 1000, share: 40),
            ["project:7:default;error;security:ps 400/3600 project_quota", "organization:3:default;error;security:o 1000/3600 org_quota"]
        },
        {
            "organization from the API with its projects' share", Key(), Org(200, 60, 50), null, null, Settings(org: 1000, share: 40),
            ["project:7:default;error;security:ps 100/60 project_quota", "organization:3:default;error;security:o 200/60 org_quota"]
        },
        {
            "the project option's share wins", Key(), Org(200, 60, 50), null, 10, Settings(share: 40),
            ["project:7:default;error;security:ps 20/60 project_quota", "organization:3:default;error;security:o 200/60 org_quota"]
        },
        { "a share without an organization quota is nothing", Key(), Org(null, null, 50), null, 10, Settings(), [] },
        {
            "all of them", Key(5, 60), Org(200, 60), Proj(50, 60), 25, Settings(),
            [
                "key:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:default;error;security:k 5/60 key_quota",
                "project:7:default;error;security:p 50/60 project_quota",
                "project:7:default;error;security:ps 50/60 project_quota",
                "organization:3:default;error;security:o 200/60 org_quota",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quotas_are_built_as_Sentrys_get_quotas(string name, ProjectKeyRecord key, ScopeRateLimitRecord? organization, ScopeRateLimitRecord? project, int? share, RateLimitOptions settings, string[] expected)
    {
        var quotas = QuotaResolver.Build(key, Project, organization, project, share, settings);
        Assert.True(expected.SequenceEqual(quotas.Select(q => $"{q.BucketKey} {q.Limit}/{q.WindowSeconds} {q.ReasonCode}")), $"{name}: {string.Join(" | ", quotas.Select(q => $"{q.BucketKey} {q.Limit}/{q.WindowSeconds} {q.ReasonCode}"))}");
        Assert.All(quotas, q => Assert.Equal(3, q.OrganizationId));
    }

    [Theory]
    [InlineData(null, 60, 100, 20, null)]
    [InlineData(-1L, 60, 100, 20, "Organization:Count")]
    [InlineData(10L, 0, 100, 20, "Organization:Window")]
    [InlineData(10L, 86_401, 100, 20, "Organization:Window")]
    [InlineData(10L, 60, 0, 20, "ProjectSharePercent")]
    [InlineData(10L, 60, 101, 20, "ProjectSharePercent")]
    [InlineData(10L, 60, 100, 0, "LeaseDivisor")]
    public void Settings_that_cannot_work_are_refused_naming_the_setting(long? count, long window, int share, int divisor, string? failing)
    {
        var options = new RateLimitOptions { Organization = new QuotaSetting { Count = count, Window = window }, ProjectSharePercent = share, LeaseDivisor = divisor };
        var result = new RateLimitOptionsValidator().Validate(null, options);
        if (failing is null)
        {
            Assert.True(result.Succeeded);
        }
        else
        {
            Assert.Contains($"Grains:RateLimits:{failing}", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
