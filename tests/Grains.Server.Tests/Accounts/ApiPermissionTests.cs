using System.Text.Json.Nodes;
using Grains.Server.Accounts;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Tests.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Accounts;

/// <summary>
/// The API checks the same permissions as the pages: a personal token acts as its user (403 with Sentry's
/// body for a role that may not; 404 for an organization the user is not a member of, as if it did not
/// exist); the admin token is an owner everywhere.
/// </summary>
public sealed class ApiPermissionTests(AccountsServer server) : IClassFixture<AccountsServer>
{
    private const string Forbidden = "You do not have permission to perform this action.";

    private async Task<(long ProjectId, string PublicKey)> AcmeProjectAsync()
    {
        var existing = await server.GetAsync("/api/0/projects/acme/web/");
        if (existing.Status == 200)
        {
            var keys = (await server.GetAsync("/api/0/projects/acme/web/keys/")).AssertStatus(200);
            return (long.Parse(existing.Json!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), keys.Json![0]!["public"]!.GetValue<string>());
        }

        return await server.CreateProjectAsync("acme", "web");
    }

    private Task<ApiResponse> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null) => server.SendAsync(method, path, body, client);

    [Fact]
    public async Task A_member_reads_but_cannot_change_keys_quotas_filters_or_projects()
    {
        await AcmeProjectAsync();
        using var member = await server.TokenClientAsync(server.Member);

        (await SendAsync(member, HttpMethod.Get, "/api/0/organizations/acme/")).AssertStatus(200);
        (await SendAsync(member, HttpMethod.Get, "/api/0/projects/acme/web/keys/")).AssertStatus(200);
        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Post, "/api/0/projects/acme/web/keys/", """{"name":"x"}"""),
            (HttpMethod.Put, "/api/0/projects/acme/web/rate-limits/", """{"rateLimit":{"window":60,"count":5}}"""),
            (HttpMethod.Put, "/api/0/organizations/acme/rate-limits/", """{"rateLimit":{"window":60,"count":5}}"""),
            (HttpMethod.Put, "/api/0/projects/acme/web/filters/browser-extensions/", """{"active":true}"""),
            (HttpMethod.Put, "/api/0/projects/acme/web/", """{"name":"renamed"}"""),
            (HttpMethod.Delete, "/api/0/projects/acme/web/", null),
            (HttpMethod.Post, "/api/0/organizations/acme/projects/", """{"name":"other"}"""),
        })
        {
            var response = await SendAsync(member, method, path, body);
            Assert.True(response.Status == 403, $"{method} {path}: {response.Status} {response.Body}");
            Assert.Equal(Forbidden, response.Detail);
        }

        Assert.Equal("web", (await server.GetAsync("/api/0/projects/acme/web/")).AssertStatus(200).Json!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_member_acts_on_issues()
    {
        await AcmeProjectAsync();
        using var member = await server.TokenClientAsync(server.Member);

        var response = await SendAsync(member, HttpMethod.Put, "/api/0/organizations/acme/issues/?id=1", """{"status":"resolved"}""");

        Assert.NotEqual(403, response.Status);
        Assert.NotEqual(404, response.Status);
    }

    [Fact]
    public async Task A_manager_changes_project_settings_but_not_the_organization_quota()
    {
        await AcmeProjectAsync();
        using var manager = await server.TokenClientAsync(server.Manager);

        (await SendAsync(manager, HttpMethod.Post, "/api/0/projects/acme/web/keys/", """{"name":"by manager"}""")).AssertStatus(201);
        (await SendAsync(manager, HttpMethod.Put, "/api/0/projects/acme/web/rate-limits/", """{"rateLimit":null}""")).AssertStatus(200);
        var quota = await SendAsync(manager, HttpMethod.Put, "/api/0/organizations/acme/rate-limits/", """{"rateLimit":null}""");
        quota.AssertStatus(403);
        Assert.Equal(Forbidden, quota.Detail);
    }

    [Fact]
    public async Task An_owner_and_the_admin_token_change_the_organization_quota()
    {
        using var owner = await server.TokenClientAsync(server.Owner);

        (await SendAsync(owner, HttpMethod.Put, "/api/0/organizations/acme/rate-limits/", """{"rateLimit":null}""")).AssertStatus(200);
        (await server.PutAsync("/api/0/organizations/acme/rate-limits/", JsonNode.Parse("""{"rateLimit":null}""")!)).AssertStatus(200);
    }

    [Fact]
    public async Task Another_organization_is_404_by_slug_and_by_issue_id()
    {
        var (projectId, key) = await AcmeProjectAsync();
        var evt = SdkEvents.Error("TypeError", "acme only " + Guid.NewGuid().ToString("N"), "pay", "u1");
        await server.IngestAsync(projectId, key, evt);
        var issues = await server.WaitAsync("/api/0/projects/acme/web/issues/?query=", r => r.Status == 200 && r.Json!.AsArray().Count > 0);
        var issueId = issues.Json![0]!["id"]!.GetValue<string>();
        using var outsider = await server.TokenClientAsync(server.Outsider);
        using var member = await server.TokenClientAsync(server.Member);

        foreach (var path in new[]
        {
            "/api/0/organizations/acme/",
            "/api/0/projects/acme/web/",
            "/api/0/projects/acme/web/keys/",
            "/api/0/projects/acme/web/issues/",
            $"/api/0/issues/{issueId}/",
            $"/api/0/organizations/acme/issues/{issueId}/",
            $"/api/0/issues/{issueId}/events/",
        })
        {
            var response = await SendAsync(outsider, HttpMethod.Get, path);
            Assert.True(response.Status == 404, $"GET {path}: {response.Status} {response.Body}");
            Assert.Equal(ApiException.NotFoundDetail, response.Detail);
            (await SendAsync(member, HttpMethod.Get, path)).AssertStatus(200);
        }

        (await SendAsync(outsider, HttpMethod.Put, $"/api/0/issues/{issueId}/", """{"status":"resolved"}""")).AssertStatus(404);
        (await SendAsync(outsider, HttpMethod.Get, $"/api/0/organizations/globex/issues/{issueId}/")).AssertStatus(404);
        Assert.Equal("unresolved", (await server.GetAsync($"/api/0/issues/{issueId}/")).Json!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_lists_only_their_organizations_and_owns_one_they_create()
    {
        using var outsider = await server.TokenClientAsync(server.Outsider);

        Assert.Equal(["globex"], (await SendAsync(outsider, HttpMethod.Get, "/api/0/organizations/")).AssertStatus(200).Json!.AsArray().Select(o => o!["slug"]!.GetValue<string>()));
        (await SendAsync(outsider, HttpMethod.Post, "/api/0/organizations/", """{"name":"Initech","slug":"initech"}""")).AssertStatus(201);

        Assert.Equal(["globex", "initech"], (await SendAsync(outsider, HttpMethod.Get, "/api/0/organizations/")).AssertStatus(200).Json!.AsArray().Select(o => o!["slug"]!.GetValue<string>()).Order());
        (await SendAsync(outsider, HttpMethod.Put, "/api/0/organizations/initech/rate-limits/", """{"rateLimit":null}""")).AssertStatus(200);
        Assert.Contains("initech", (await server.GetAsync("/api/0/organizations/")).Json!.AsArray().Select(o => o!["slug"]!.GetValue<string>()));
    }

    [Fact]
    public void Every_api_route_has_the_permission_its_subject_needs()
    {
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/0/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        Assert.NotEmpty(routes);

        var writes = routes.Where(r => r.Method != "GET").Select(r => $"{r.Method} {r.Pattern} -> {ApiPermissions.Required(r.Method, r.Pattern)}").Order().ToList();

        Assert.All(routes.Where(r => r.Method == "GET"), r => Assert.Equal(Permission.Read, ApiPermissions.Required(r.Method, r.Pattern)));
        Assert.Equal(ExpectedWrites.Order(), writes);
    }

    private static readonly string[] ExpectedWrites =
    [
        "POST /api/0/organizations/ -> Read",
        "POST /api/0/api-tokens/ -> Read",
        "DELETE /api/0/api-tokens/ -> Read",
        "POST /api/0/organizations/{org}/members/ -> ManageMembers",
        "PUT /api/0/organizations/{org}/members/{memberId}/ -> ManageMembers",
        "DELETE /api/0/organizations/{org}/members/{memberId}/ -> ManageMembers",
        "PUT /api/0/organizations/{org}/rate-limits/ -> ManageOrganization",
        "POST /api/0/organizations/{org}/projects/ -> ManageProjects",
        "PUT /api/0/projects/{org}/{project}/ -> ManageProjects",
        "DELETE /api/0/projects/{org}/{project}/ -> ManageProjects",
        "POST /api/0/projects/{org}/{project}/keys/ -> ManageProjects",
        "PUT /api/0/projects/{org}/{project}/keys/{keyId}/ -> ManageProjects",
        "DELETE /api/0/projects/{org}/{project}/keys/{keyId}/ -> ManageProjects",
        "PUT /api/0/projects/{org}/{project}/rate-limits/ -> ManageProjects",
        "PUT /api/0/projects/{org}/{project}/filters/{filterId}/ -> ManageProjects",
        "PUT /api/0/projects/{org}/{project}/plugins/{plugin}/ -> ManageProjects",
        "POST /api/0/projects/{org}/{project}/plugins/{plugin}/ -> ManageProjects",
        "DELETE /api/0/projects/{org}/{project}/plugins/{plugin}/ -> ManageProjects",
        "POST /api/0/projects/{org}/{project}/rules/ -> ManageAlerts",
        "PUT /api/0/projects/{org}/{project}/rules/{ruleId}/ -> ManageAlerts",
        "DELETE /api/0/projects/{org}/{project}/rules/{ruleId}/ -> ManageAlerts",
        "POST /api/0/projects/{org}/{project}/alert-deliveries/{deliveryId}/retry/ -> ManageAlerts",
        "PUT /api/0/organizations/{org}/issues/ -> ActOnIssues",
        "DELETE /api/0/organizations/{org}/issues/ -> ManageProjects",
        "PUT /api/0/projects/{org}/{project}/issues/ -> ActOnIssues",
        "PUT /api/0/issues/{id}/ -> ActOnIssues",
        "DELETE /api/0/issues/{id}/ -> ManageProjects",
        "POST /api/0/issues/{id}/comments/ -> ActOnIssues",
        "PUT /api/0/organizations/{org}/issues/{id}/ -> ActOnIssues",
        "DELETE /api/0/organizations/{org}/issues/{id}/ -> ManageProjects",
        "POST /api/0/organizations/{org}/issues/{id}/comments/ -> ActOnIssues",
    ];
}
