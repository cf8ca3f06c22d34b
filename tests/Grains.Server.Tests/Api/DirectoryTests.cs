using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Grains.Server.Tests.Api;

/// <summary>Organizations, projects and DSN keys through the API.</summary>
public sealed class DirectoryTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static readonly Regex IsoUtc = new(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$");

    [Fact]
    public async Task Organizations_are_created_listed_and_read()
    {
        var created = (await server.PostAsync("/api/0/organizations/", new JsonObject { ["name"] = "Acme Corp" })).AssertStatus(201).Json!;

        Assert.Equal("acme-corp", created["slug"]!.GetValue<string>());
        Assert.Equal("Acme Corp", created["name"]!.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonValueKind.String, created["id"]!.GetValueKind());
        Assert.Matches(IsoUtc, created["dateCreated"]!.GetValue<string>());
        Assert.Equal("active", created["status"]!["id"]!.GetValue<string>());

        var list = (await server.GetAsync("/api/0/organizations/")).AssertStatus(200).Json!.AsArray();
        Assert.Contains(list, o => o!["slug"]!.GetValue<string>() == "acme-corp");

        var one = (await server.GetAsync("/api/0/organizations/acme-corp/")).AssertStatus(200).Json!;
        Assert.Equal(created["id"]!.GetValue<string>(), one["id"]!.GetValue<string>());

        var missing = (await server.GetAsync("/api/0/organizations/nope/")).AssertStatus(404);
        Assert.Equal("The requested resource does not exist", missing.Detail);
    }

    [Fact]
    public async Task A_duplicate_organization_slug_is_409()
    {
        (await server.PostAsync("/api/0/organizations/", new JsonObject { ["name"] = "Dup", ["slug"] = "dup" })).AssertStatus(201);
        var again = (await server.PostAsync("/api/0/organizations/", new JsonObject { ["name"] = "Dup again", ["slug"] = "dup" })).AssertStatus(409);
        Assert.Contains("dup", again.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_project_has_one_default_key_with_a_dsn_for_this_server()
    {
        var (projectId, _) = await server.CreateProjectAsync("keys-org", "api");

        var keys = (await server.GetAsync("/api/0/projects/keys-org/api/keys/")).AssertStatus(200).Json!.AsArray();
        var key = Assert.Single(keys)!;
        var publicKey = key["public"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", publicKey);
        Assert.Matches("^[0-9a-f]{32}$", key["secret"]!.GetValue<string>());
        Assert.Equal(publicKey, key["id"]!.GetValue<string>());
        Assert.Equal("Default", key["name"]!.GetValue<string>());
        Assert.True(key["isActive"]!.GetValue<bool>());
        Assert.Equal(projectId, key["projectId"]!.GetValue<long>());
        Assert.Matches(IsoUtc, key["dateCreated"]!.GetValue<string>());
        var host = new Uri(server.Url).Authority;
        Assert.Equal($"http://{publicKey}@{host}/{projectId}", key["dsn"]!["public"]!.GetValue<string>());
        Assert.Equal($"http://{publicKey}:{key["secret"]!.GetValue<string>()}@{host}/{projectId}", key["dsn"]!["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_are_created_renamed_deactivated_and_deleted()
    {
        await server.CreateProjectAsync("keys-org2", "api");
        const string Keys = "/api/0/projects/keys-org2/api/keys/";

        var created = (await server.PostAsync(Keys, new JsonObject { ["name"] = "CI" })).AssertStatus(201).Json!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("CI", created["name"]!.GetValue<string>());

        var updated = (await server.PutAsync($"{Keys}{id}/", new JsonObject { ["name"] = "CI old", ["isActive"] = false, ["unknownField"] = 1 })).AssertStatus(200).Json!;
        Assert.Equal("CI old", updated["name"]!.GetValue<string>());
        Assert.False(updated["isActive"]!.GetValue<bool>());
        Assert.False((await server.GetAsync($"{Keys}{id}/")).AssertStatus(200).Json!["isActive"]!.GetValue<bool>());

        Assert.Equal(2, (await server.GetAsync(Keys)).AssertStatus(200).Json!.AsArray().Count);
        (await server.DeleteAsync($"{Keys}{id}/")).AssertStatus(204);
        (await server.DeleteAsync($"{Keys}{id}/")).AssertStatus(404);
        (await server.PutAsync($"{Keys}{id}/", new JsonObject { ["name"] = "x" })).AssertStatus(404);
        Assert.Single((await server.GetAsync(Keys)).AssertStatus(200).Json!.AsArray());
    }

    [Fact]
    public async Task A_key_of_another_project_is_not_reachable_through_this_one()
    {
        var (_, otherKey) = await server.CreateProjectAsync("keys-org3", "one");
        await server.CreateProjectAsync("keys-org3", "two");

        (await server.GetAsync($"/api/0/projects/keys-org3/two/keys/{otherKey}/")).AssertStatus(404);
        (await server.DeleteAsync($"/api/0/projects/keys-org3/two/keys/{otherKey}/")).AssertStatus(404);
        (await server.GetAsync($"/api/0/projects/keys-org3/one/keys/{otherKey}/")).AssertStatus(200);
    }

    [Fact]
    public async Task Projects_are_listed_read_updated_and_deleted()
    {
        var (projectId, _) = await server.CreateProjectAsync("proj-org", "web");

        var list = (await server.GetAsync("/api/0/organizations/proj-org/projects/")).AssertStatus(200).Json!.AsArray();
        var item = Assert.Single(list)!;
        Assert.Equal(projectId.ToString(System.Globalization.CultureInfo.InvariantCulture), item["id"]!.GetValue<string>());
        Assert.Equal("javascript", item["platform"]!.GetValue<string>());
        Assert.Null(item["organization"]);

        var detail = (await server.GetAsync("/api/0/projects/proj-org/web/")).AssertStatus(200).Json!;
        Assert.Equal("proj-org", detail["organization"]!["slug"]!.GetValue<string>());
        Assert.Equal("newstyle:2026-01-20", detail["groupingConfig"]!.GetValue<string>());

        var updated = (await server.PutAsync("/api/0/projects/proj-org/web/", new JsonObject { ["name"] = "Website", ["slug"] = "website", ["platform"] = "python" })).AssertStatus(200).Json!;
        Assert.Equal("website", updated["slug"]!.GetValue<string>());
        Assert.Equal("Website", updated["name"]!.GetValue<string>());
        Assert.Equal("python", updated["platform"]!.GetValue<string>());
        (await server.GetAsync("/api/0/projects/proj-org/web/")).AssertStatus(404);
        (await server.GetAsync("/api/0/projects/proj-org/website/")).AssertStatus(200);

        var rules = (await server.PutAsync("/api/0/projects/proj-org/website/", new JsonObject { ["fingerprintingRules"] = "error.type:DatabaseError -> database-error" })).AssertStatus(200).Json!;
        Assert.Equal("error.type:DatabaseError -> database-error", rules["fingerprintingRules"]!.GetValue<string>());
        var bad = (await server.PutAsync("/api/0/projects/proj-org/website/", new JsonObject { ["fingerprintingRules"] = "this is -> not { a rule" })).AssertStatus(400);
        Assert.NotEmpty(bad.Detail);

        (await server.DeleteAsync("/api/0/projects/proj-org/website/")).AssertStatus(204);
        (await server.GetAsync("/api/0/projects/proj-org/website/")).AssertStatus(404);
        (await server.DeleteAsync("/api/0/projects/proj-org/website/")).AssertStatus(404);
    }

    [Fact]
    public async Task Duplicate_project_slugs_are_409_on_create_and_on_rename()
    {
        await server.CreateProjectAsync("dup-org", "a");
        await server.CreateProjectAsync("dup-org", "b");

        (await server.PostAsync("/api/0/organizations/dup-org/projects/", new JsonObject { ["name"] = "A", ["slug"] = "a" })).AssertStatus(409);
        (await server.PutAsync("/api/0/projects/dup-org/b/", new JsonObject { ["slug"] = "a" })).AssertStatus(409);
    }

    [Fact]
    public async Task Projects_of_an_unknown_organization_are_404()
    {
        (await server.GetAsync("/api/0/organizations/ghost/projects/")).AssertStatus(404);
        (await server.PostAsync("/api/0/organizations/ghost/projects/", new JsonObject { ["name"] = "x" })).AssertStatus(404);
        (await server.GetAsync("/api/0/projects/ghost/x/")).AssertStatus(404);
        (await server.GetAsync("/api/0/projects/ghost/x/keys/")).AssertStatus(404);
    }
}
