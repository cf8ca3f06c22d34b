using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests;

public abstract class DirectoryStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    [Fact]
    public async Task Organizations_are_created_listed_and_unique_by_slug()
    {
        var created = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        await Db.Directory.CreateOrganizationAsync("beta", "Beta");

        Assert.Equal(created, await Db.Directory.GetOrganizationAsync("acme"));
        Assert.Null(await Db.Directory.GetOrganizationAsync("nope"));
        Assert.Equal(["acme", "beta"], (await Db.Directory.ListOrganizationsAsync()).Select(o => o.Slug));
        var duplicate = await Assert.ThrowsAsync<DuplicateSlugException>(() => Db.Directory.CreateOrganizationAsync("acme", "Other"));
        Assert.Equal("acme", duplicate.Slug);
    }

    [Fact]
    public async Task Projects_are_created_updated_and_deleted()
    {
        var org = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        var web = await Db.Directory.CreateProjectAsync(org.Id, "web", "Web", "javascript");
        var api = await Db.Directory.CreateProjectAsync(org.Id, "api", "API", null);

        Assert.Equal(web, await Db.Directory.GetProjectAsync(web.Id));
        Assert.Equal(web, await Db.Directory.GetProjectAsync(org.Id, "web"));
        Assert.Equal(["api", "web"], (await Db.Directory.ListProjectsAsync(org.Id)).Select(p => p.Slug));
        await Assert.ThrowsAsync<DuplicateSlugException>(() => Db.Directory.CreateProjectAsync(org.Id, "web", "Again", null));

        // The same slug in another organization is fine.
        var other = await Db.Directory.CreateOrganizationAsync("other", "Other");
        await Db.Directory.CreateProjectAsync(other.Id, "web", "Web", null);

        var renamed = web with { Slug = "frontend", Name = "Frontend", FingerprintRules = "type:X -> x", StackTraceRules = "family:javascript -app" };
        await Db.Directory.UpdateProjectAsync(renamed);
        Assert.Equal(renamed, await Db.Directory.GetProjectAsync(web.Id));
        await Assert.ThrowsAsync<DuplicateSlugException>(() => Db.Directory.UpdateProjectAsync(renamed with { Slug = "api" }));
        await Db.Directory.UpdateProjectAsync(renamed); // keeping its own slug is not a conflict

        await Db.Directory.CreateKeyAsync(Key(api.Id, "a"));
        await Db.Directory.DeleteProjectAsync(api.Id);
        Assert.Null(await Db.Directory.GetProjectAsync(api.Id));
        Assert.Null(await Db.Directory.FindKeyAsync(new string('a', 32)));
    }

    // The backends once decided a rename differently (SQLite checked the slug's owner inside its writer,
    // PostgreSQL relied on the unique constraint, and a missing project differed): one table for both.
    [Theory]
    [InlineData("web", true, false)]      // its own slug
    [InlineData("frontend", true, false)] // a free slug
    [InlineData("API", true, false)]      // slugs compare exactly: "API" is not "api"
    [InlineData("mobile", true, false)]   // taken only in another organization
    [InlineData("api", true, true)]       // taken in its organization
    [InlineData("frontend", false, false)] // a missing project: nothing to update, no error
    [InlineData("api", false, true)]      // a missing project renamed onto a taken slug
    public async Task A_rename_is_refused_only_onto_a_slug_another_project_of_the_organization_has(string slug, bool exists, bool refused)
    {
        var org = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        var web = await Db.Directory.CreateProjectAsync(org.Id, "web", "Web", null);
        await Db.Directory.CreateProjectAsync(org.Id, "api", "API", null);
        var other = await Db.Directory.CreateOrganizationAsync("other", "Other");
        await Db.Directory.CreateProjectAsync(other.Id, "mobile", "Mobile", null);
        var renamed = web with { Id = exists ? web.Id : web.Id + 1000, Slug = slug, Name = "Renamed" };

        if (refused)
        {
            var error = await Assert.ThrowsAsync<DuplicateSlugException>(() => Db.Directory.UpdateProjectAsync(renamed));
            Assert.Equal(slug, error.Slug);
        }
        else
        {
            await Db.Directory.UpdateProjectAsync(renamed);
        }

        // Refused, or another id: web keeps its slug and name, and no project appears.
        var applied = exists && !refused;
        Assert.Equal(applied ? renamed : web, await Db.Directory.GetProjectAsync(web.Id));
        Assert.Null(await Db.Directory.GetProjectAsync(web.Id + 1000));
        Assert.Equal(new[] { "api", applied ? slug : "web" }.Order(StringComparer.Ordinal), (await Db.Directory.ListProjectsAsync(org.Id)).Select(p => p.Slug));
    }

    [Fact]
    public async Task A_keys_rate_limit_and_scope_quotas_round_trip()
    {
        var org = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        var web = await Db.Directory.CreateProjectAsync(org.Id, "web", "Web", null);
        var key = Key(web.Id, "c");
        await Db.Directory.CreateKeyAsync(key with { RateLimitCount = 5, RateLimitWindow = 60 });
        var stored = (await Db.Directory.FindKeyAsync(key.PublicKey))!;
        Assert.Equal((5L, 60L), (stored.RateLimitCount, stored.RateLimitWindow));
        await Db.Directory.UpdateKeyAsync(stored with { RateLimitCount = null, RateLimitWindow = null });
        stored = (await Db.Directory.FindKeyAsync(key.PublicKey))!;
        Assert.Null(stored.RateLimitCount);
        Assert.Null(stored.RateLimitWindow);
        await Db.Directory.UpdateKeyAsync(stored with { RateLimitCount = 0, RateLimitWindow = 86_400 });
        Assert.Equal((0L, 86_400L), ((await Db.Directory.ListKeysAsync(web.Id)).Single().RateLimitCount, (await Db.Directory.ListKeysAsync(web.Id)).Single().RateLimitWindow));

        Assert.Null(await Db.Directory.GetRateLimitAsync(ScopeRateLimitRecord.Organization, org.Id));
        var orgQuota = new ScopeRateLimitRecord(ScopeRateLimitRecord.Organization, org.Id, 1000, 60, 50);
        await Db.Directory.SetRateLimitAsync(orgQuota);
        var projectShare = new ScopeRateLimitRecord(ScopeRateLimitRecord.Project, web.Id, null, null, 25);
        await Db.Directory.SetRateLimitAsync(projectShare);
        Assert.Equal(orgQuota, await Db.Directory.GetRateLimitAsync(ScopeRateLimitRecord.Organization, org.Id));
        Assert.Equal(projectShare, await Db.Directory.GetRateLimitAsync(ScopeRateLimitRecord.Project, web.Id));
        Assert.Null(await Db.Directory.GetRateLimitAsync(ScopeRateLimitRecord.Project, web.Id + 1000));

        var changed = orgQuota with { Count = 10, Window = 3600, SharePercent = null };
        await Db.Directory.SetRateLimitAsync(changed);
        Assert.Equal(changed, await Db.Directory.GetRateLimitAsync(ScopeRateLimitRecord.Organization, org.Id));
        await Db.Directory.SetRateLimitAsync(changed with { Count = null, Window = null });
        Assert.Null(await Db.Directory.GetRateLimitAsync(ScopeRateLimitRecord.Organization, org.Id));
    }

    [Fact]
    public async Task Project_options_are_set_replaced_reset_and_deleted_with_the_project()
    {
        var org = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        var web = await Db.Directory.CreateProjectAsync(org.Id, "web", "Web", "javascript");
        var api = await Db.Directory.CreateProjectAsync(org.Id, "api", "API", null);
        Assert.Empty(await Db.Directory.GetProjectOptionsAsync(web.Id));

        await Db.Directory.SetProjectOptionsAsync(web.Id, new Dictionary<string, string?>
        {
            ["filters:blacklisted_ips"] = """["10.0.0.0/8"]""",
            ["filters:localhost"] = "true",
        });
        await Db.Directory.SetProjectOptionsAsync(api.Id, new Dictionary<string, string?> { ["filters:localhost"] = "true" });
        await Db.Directory.SetProjectOptionsAsync(web.Id, new Dictionary<string, string?>
        {
            ["filters:blacklisted_ips"] = """["10.0.0.0/8","::1"]""",
            ["filters:localhost"] = null,
        });

        var options = await Db.Directory.GetProjectOptionsAsync(web.Id);
        Assert.Equal(["filters:blacklisted_ips"], options.Keys);
        Assert.Equal("""["10.0.0.0/8","::1"]""", options["filters:blacklisted_ips"]);
        Assert.Equal("true", (await Db.Directory.GetProjectOptionsAsync(api.Id))["filters:localhost"]);

        await Db.Directory.DeleteProjectAsync(web.Id);
        Assert.Empty(await Db.Directory.GetProjectOptionsAsync(web.Id));
        Assert.Single(await Db.Directory.GetProjectOptionsAsync(api.Id));
    }

    [Fact]
    public async Task Issue_numbers_increment_per_project()
    {
        var org = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        var a = await Db.Directory.CreateProjectAsync(org.Id, "a", "A", null);
        var b = await Db.Directory.CreateProjectAsync(org.Id, "b", "B", null);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Db.Directory.NextIssueNumberAsync(a.Id)));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), numbers.Order());
        Assert.Equal(1, await Db.Directory.NextIssueNumberAsync(b.Id));
        Assert.Equal(11, await Db.Directory.NextIssueNumberAsync(a.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Db.Directory.NextIssueNumberAsync(999));

        // A block: the first number of 100 reserved at once; the next reservation starts after the block.
        Assert.Equal(12, await Db.Directory.NextIssueNumberAsync(a.Id, 100));
        Assert.Equal(112, await Db.Directory.NextIssueNumberAsync(a.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.Directory.NextIssueNumberAsync(a.Id, 0));
    }

    [Fact]
    public async Task Keys_are_found_by_public_key_updated_and_deleted()
    {
        var org = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        var project = await Db.Directory.CreateProjectAsync(org.Id, "web", "Web", null);
        var first = Key(project.Id, "a");
        var second = Key(project.Id, "b") with { DateCreated = first.DateCreated.AddSeconds(1) };
        await Db.Directory.CreateKeyAsync(first);
        await Db.Directory.CreateKeyAsync(second);

        Assert.Equal(first, await Db.Directory.FindKeyAsync(first.PublicKey));
        Assert.Null(await Db.Directory.FindKeyAsync(new string('f', 32)));
        Assert.Equal([first, second], await Db.Directory.ListKeysAsync(project.Id));

        var disabled = first with { IsActive = false, Name = "Disabled" };
        await Db.Directory.UpdateKeyAsync(disabled);
        Assert.Equal(disabled, await Db.Directory.FindKeyAsync(first.PublicKey));

        Assert.True(await Db.Directory.DeleteKeyAsync(first.PublicKey));
        Assert.False(await Db.Directory.DeleteKeyAsync(first.PublicKey));
        Assert.Equal([second], await Db.Directory.ListKeysAsync(project.Id));
    }

    [Fact]
    public async Task Tokens_are_found_by_hash()
    {
        Assert.False(await Db.Directory.AnyTokenAsync());
        var token = await Db.Directory.CreateTokenAsync("admin", "hash-1");

        Assert.True(await Db.Directory.AnyTokenAsync());
        Assert.Equal(token, await Db.Directory.FindTokenAsync("hash-1"));
        Assert.Null(await Db.Directory.FindTokenAsync("hash-2"));
    }

    [Fact]
    public async Task Data_survives_reopening_the_database()
    {
        await using (var other = new TBackend())
        {
            // Only proves a second database beside the first does not interfere.
            await other.InitializeAsync();
            await other.Directory.CreateOrganizationAsync("acme", "Acme");
        }

        await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        await Db.ReopenAsync();
        Assert.NotNull(await Db.Directory.GetOrganizationAsync("acme"));
    }

    private static ProjectKeyRecord Key(long projectId, string fill) => new()
    {
        ProjectId = projectId,
        Name = "Default",
        PublicKey = string.Concat(Enumerable.Repeat(fill, 32)),
        SecretKey = new string('0', 32),
        DateCreated = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };
}

public sealed class SqliteDirectoryStoreTests : DirectoryStoreTests<SqliteBackend>;

public sealed class PostgresDirectoryStoreTests : DirectoryStoreTests<PostgresBackend>;
