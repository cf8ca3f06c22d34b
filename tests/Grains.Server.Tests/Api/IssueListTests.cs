using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Grains.Server.Tests.Api;

/// <summary>Issue lists: paging with Link cursors, sorts, stats, search, filters and the JSON shape, on seeded data.</summary>
public sealed class IssueListTests(SeededIssues seeded) : IClassFixture<SeededIssues>
{
    private const string Alpha = "/api/0/projects/list-org/alpha/issues/";
    private static readonly Regex IsoUtc = new(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$");

    private ApiServer Server => seeded.Server;

    [Fact]
    public async Task Sixty_issues_page_forward_and_back_through_the_link_header()
    {
        var first = (await Server.GetAsync($"{Alpha}?limit=25")).AssertStatus(200);
        var firstLink = LinkHeader.Parse(first.Link);
        Assert.False(firstLink.Previous.Results);
        Assert.True(firstLink.Next.Results);
        Assert.StartsWith($"{Server.Url}{Alpha}?limit=25&cursor=", firstLink.Next.Url, StringComparison.Ordinal);
        Assert.EndsWith($"cursor={Uri.EscapeDataString(firstLink.Next.Cursor)}", firstLink.Next.Url, StringComparison.Ordinal);

        var second = (await Server.GetAsync(LinkHeader.PathAndQuery(firstLink.Next))).AssertStatus(200);
        var secondLink = LinkHeader.Parse(second.Link);
        Assert.True(secondLink.Previous.Results);
        Assert.True(secondLink.Next.Results);

        var third = (await Server.GetAsync(LinkHeader.PathAndQuery(secondLink.Next))).AssertStatus(200);
        var thirdLink = LinkHeader.Parse(third.Link);
        Assert.False(thirdLink.Next.Results);
        Assert.True(thirdLink.Previous.Results);

        var pages = new[] { Ids(first), Ids(second), Ids(third) };
        Assert.Equal([25, 25, 10], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(SeededIssues.Unresolved, all.Distinct().Count());

        // Default sort is last seen, newest first: issue numbers 60 down to 1.
        Assert.Equal(Enumerable.Range(1, 60).Reverse().Select(n => Seed.IssueId(seeded.AlphaId, n).ToString(CultureInfo.InvariantCulture)), all);

        var back = (await Server.GetAsync(LinkHeader.PathAndQuery(thirdLink.Previous))).AssertStatus(200);
        Assert.Equal(pages[1], Ids(back));
    }

    [Theory]
    [InlineData("date", "lastSeen")]
    [InlineData("new", "firstSeen")]
    [InlineData("freq", "count")]
    [InlineData("user", "userCount")]
    public async Task Each_sort_orders_by_its_field_descending(string sort, string field)
    {
        var items = (await Server.GetAsync($"{Alpha}?sort={sort}&limit=100&statsPeriod=")).AssertStatus(200).Json!.AsArray();

        Assert.Equal(SeededIssues.Unresolved, items.Count);
        var keys = items.Select(i => field switch
        {
            "count" => long.Parse(i!["count"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            "userCount" => i!["userCount"]!.GetValue<long>(),
            _ => DateTimeOffset.Parse(i![field]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
        }).ToList();
        Assert.Equal(keys.OrderDescending(), keys);
    }

    [Fact]
    public async Task Sorting_by_frequency_pages_consistently()
    {
        var ids = new List<string>();
        var path = $"{Alpha}?sort=freq&limit=7&statsPeriod=";
        for (var page = 0; page < 20; page++)
        {
            var response = (await Server.GetAsync(path)).AssertStatus(200);
            ids.AddRange(Ids(response));
            var link = LinkHeader.Parse(response.Link);
            if (!link.Next.Results)
            {
                break;
            }

            path = LinkHeader.PathAndQuery(link.Next);
        }

        Assert.Equal(SeededIssues.Unresolved, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_default_query_is_unresolved_and_an_empty_query_means_all()
    {
        Assert.Equal(SeededIssues.Unresolved, await CountAsync(Alpha + "?limit=100"));
        Assert.Equal(SeededIssues.Resolved, await CountAsync(Alpha + "?limit=100&query=is:resolved"));
        Assert.Equal(SeededIssues.Unresolved + SeededIssues.Resolved, await CountAsync(Alpha + "?limit=100&query="));
    }

    [Theory]
    [InlineData("level:warning", 6)]
    [InlineData("timesSeen:>50", 11)]
    [InlineData("\"Seeded problem 07\"", 1)]
    [InlineData("environment:production", 30)]
    [InlineData("!environment:production", 35)]
    [InlineData("error.type:ValueError", 65)]
    [InlineData("is:unresolved level:warning environment:production", 6)]
    [InlineData("Seeded*", 60)]
    [InlineData("has:environment", 60)]
    public async Task Search_terms_filter_the_list(string query, int expected) =>
        Assert.Equal(expected, await CountAsync($"{Alpha}?limit=100&query={Uri.EscapeDataString(query)}"));

    [Theory]
    [InlineData("timesSeen:>abc")]
    [InlineData("age:24h")]
    [InlineData("is:bogus")]
    [InlineData("level:\"unterminated")]
    public async Task A_malformed_query_is_400_naming_the_term(string query)
    {
        var response = (await Server.GetAsync($"{Alpha}?query={Uri.EscapeDataString("is:unresolved " + query)}")).AssertStatus(400);

        Assert.Contains(query, response.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_parameter_filters()
    {
        Assert.Equal(30, await CountAsync($"{Alpha}?limit=100&environment=staging"));
        Assert.Equal(60, await CountAsync($"{Alpha}?limit=100&environment=staging&environment=production"));
        Assert.Equal(0, await CountAsync($"{Alpha}?limit=100&environment=nowhere"));
    }

    [Fact]
    public async Task Stats_have_one_bucket_per_hour_or_day_as_unix_seconds_and_counts()
    {
        var id = seeded.WithStats.Id.ToString(CultureInfo.InvariantCulture);

        var hourly = Find(await Server.GetAsync($"{Alpha}?statsPeriod=24h&limit=100"), id)["stats"]!["24h"]!.AsArray();
        Assert.Equal(24, hourly.Count);
        Assert.All(hourly, b => Assert.Equal(2, b!.AsArray().Count));
        Assert.All(hourly, b => Assert.Equal(0, b![0]!.GetValue<long>() % 3600));
        Assert.Equal(7, hourly.Sum(b => b![1]!.GetValue<long>()));
        Assert.Equal(5, hourly[23]![1]!.GetValue<long>());
        Assert.Equal(2, hourly[20]![1]!.GetValue<long>());

        var daily = Find(await Server.GetAsync($"{Alpha}?statsPeriod=14d&limit=100"), id)["stats"]!["14d"]!.AsArray();
        Assert.Equal(14, daily.Count);
        Assert.All(daily, b => Assert.Equal(0, b![0]!.GetValue<long>() % 86400));
        Assert.Equal(7, daily.Sum(b => b![1]!.GetValue<long>()));

        Assert.Null(Find(await Server.GetAsync($"{Alpha}?statsPeriod=&limit=100"), id)["stats"]);
        Assert.NotNull(Find(await Server.GetAsync($"{Alpha}?limit=100"), id)["stats"]!["24h"]);
    }

    [Fact]
    public async Task An_issue_has_sentry_field_names_and_types()
    {
        var issue = Find(await Server.GetAsync($"{Alpha}?limit=100"), seeded.WithStats.Id.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(JsonValueKind.String, issue["id"]!.GetValueKind());
        Assert.Equal("ALPHA-1O", issue["shortId"]!.GetValue<string>());
        Assert.Equal("Seeded problem 60", issue["title"]!.GetValue<string>());
        Assert.Equal("app/handlers in run", issue["culprit"]!.GetValue<string>());
        Assert.Equal($"{Server.Url}/organizations/list-org/issues/{seeded.WithStats.Id}/", issue["permalink"]!.GetValue<string>());
        Assert.Equal("warning", issue["level"]!.GetValue<string>());
        Assert.Equal("medium", issue["priority"]!.GetValue<string>());
        Assert.Equal("unresolved", issue["status"]!.GetValue<string>());
        Assert.Equal("new", issue["substatus"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Object, issue["statusDetails"]!.GetValueKind());
        Assert.Equal("python", issue["platform"]!.GetValue<string>());
        Assert.Equal(seeded.AlphaId.ToString(CultureInfo.InvariantCulture), issue["project"]!["id"]!.GetValue<string>());
        Assert.Equal("alpha", issue["project"]!["slug"]!.GetValue<string>());
        Assert.Equal("error", issue["type"]!.GetValue<string>());
        Assert.Equal("error", issue["issueType"]!.GetValue<string>());
        Assert.Equal("error", issue["issueCategory"]!.GetValue<string>());
        Assert.Equal("ValueError", issue["metadata"]!["type"]!.GetValue<string>());
        Assert.Equal(0, issue["numComments"]!.GetValue<int>());
        Assert.True(issue.AsObject().ContainsKey("assignedTo"));
        Assert.Null(issue["assignedTo"]);
        Assert.Null(issue["logger"]);
        Assert.Equal(JsonValueKind.String, issue["count"]!.GetValueKind());
        Assert.Equal(seeded.WithStats.TimesSeen.ToString(CultureInfo.InvariantCulture), issue["count"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.Number, issue["userCount"]!.GetValueKind());
        Assert.Matches(IsoUtc, issue["firstSeen"]!.GetValue<string>());
        Assert.Matches(IsoUtc, issue["lastSeen"]!.GetValue<string>());
        Assert.False(issue["isPublic"]!.GetValue<bool>());
        Assert.False(issue["hasSeen"]!.GetValue<bool>());
        Assert.Equal(JsonValueKind.Array, issue["annotations"]!.GetValueKind());
    }

    [Fact]
    public async Task The_organization_list_spans_projects_and_filters_by_project_id()
    {
        Assert.Equal(SeededIssues.Unresolved + SeededIssues.Beta, await CountAsync("/api/0/organizations/list-org/issues/?limit=100"));
        Assert.Equal(SeededIssues.Beta, await CountAsync($"/api/0/organizations/list-org/issues/?limit=100&project={seeded.BetaId}"));
        Assert.Equal(SeededIssues.Unresolved + SeededIssues.Beta, await CountAsync($"/api/0/organizations/list-org/issues/?limit=100&project={seeded.BetaId}&project={seeded.AlphaId}"));
        Assert.Equal(SeededIssues.Unresolved + SeededIssues.Beta, await CountAsync("/api/0/organizations/list-org/issues/?limit=100&project=-1"));
        (await Server.GetAsync("/api/0/organizations/list-org/issues/?project=987654")).AssertStatus(403);
        (await Server.GetAsync("/api/0/organizations/list-org/issues/?project=abc")).AssertStatus(400);
        (await Server.GetAsync("/api/0/organizations/nope/issues/")).AssertStatus(404);
        (await Server.GetAsync("/api/0/projects/list-org/nope/issues/")).AssertStatus(404);
    }

    [Fact]
    public async Task A_list_of_an_organization_without_projects_is_empty()
    {
        (await Server.PostAsync("/api/0/organizations/", new JsonObject { ["name"] = "Empty", ["slug"] = "empty-org" })).AssertStatus(201);

        var response = (await Server.GetAsync("/api/0/organizations/empty-org/issues/")).AssertStatus(200);
        Assert.Empty(response.Json!.AsArray());
        Assert.False(LinkHeader.Parse(response.Link).Next.Results);
    }

    [Theory]
    [InlineData("/api/0/issues/{id}/")]
    [InlineData("/api/0/issues/ALPHA-1/")]
    [InlineData("/api/0/issues/alpha-1/")]
    [InlineData("/api/0/organizations/list-org/issues/{id}/")]
    [InlineData("/api/0/organizations/list-org/issues/ALPHA-1/")]
    public async Task An_issue_is_found_by_id_or_short_id(string path)
    {
        var response = (await Server.GetAsync(path.Replace("{id}", seeded.WithEvents.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))).AssertStatus(200);

        Assert.Equal(seeded.WithEvents.Id.ToString(CultureInfo.InvariantCulture), response.Json!["id"]!.GetValue<string>());
        Assert.Equal("ALPHA-1", response.Json!["shortId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/0/issues/999999999999/")]
    [InlineData("/api/0/issues/ALPHA-ZZZZ/")]
    [InlineData("/api/0/issues/NOPE-1/")]
    [InlineData("/api/0/issues/not an id/")]
    [InlineData("/api/0/organizations/other-org/issues/ALPHA-1/")]
    public async Task An_unknown_issue_is_404(string path) =>
        Assert.Equal("The requested resource does not exist", (await Server.GetAsync(path)).AssertStatus(404).Detail);

    [Fact]
    public async Task An_issue_of_another_organization_is_404_under_the_wrong_organization()
    {
        (await Server.PostAsync("/api/0/organizations/", new JsonObject { ["name"] = "Other", ["slug"] = "other-org2" })).AssertStatus(201);

        (await Server.GetAsync($"/api/0/organizations/other-org2/issues/{seeded.WithEvents.Id}/")).AssertStatus(404);
    }

    [Fact]
    public async Task The_issue_detail_adds_tags_releases_and_both_stats_periods()
    {
        var detail = (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/")).AssertStatus(200).Json!;

        Assert.Equal(24, detail["stats"]!["24h"]!.AsArray().Count);
        Assert.Equal(30, detail["stats"]!["30d"]!.AsArray().Count);
        var tag = Assert.Single(detail["tags"]!.AsArray())!;
        Assert.Equal("environment", tag["key"]!.GetValue<string>());
        Assert.Equal("Environment", tag["name"]!.GetValue<string>());
        Assert.Null(detail["firstRelease"]);
        Assert.Equal(JsonValueKind.Array, detail["activity"]!.GetValueKind());
        Assert.Equal(0, detail["userReportCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Events_of_an_issue_page_newest_first_with_neighbours()
    {
        var path = $"/api/0/issues/{seeded.WithEvents.Id}/events/";
        var first = (await Server.GetAsync(path + "?limit=2")).AssertStatus(200);
        Assert.Equal([seeded.EventIds[2], seeded.EventIds[1]], first.Json!.AsArray().Select(e => e!["eventID"]!.GetValue<string>()));
        var link = LinkHeader.Parse(first.Link);
        Assert.True(link.Next.Results);
        Assert.False(link.Previous.Results);
        var rest = (await Server.GetAsync(LinkHeader.PathAndQuery(link.Next))).AssertStatus(200);
        Assert.Equal([seeded.EventIds[0]], rest.Json!.AsArray().Select(e => e!["eventID"]!.GetValue<string>()));
        Assert.False(LinkHeader.Parse(rest.Link).Next.Results);

        var item = first.Json![0]!;
        Assert.Equal(seeded.WithEvents.Id.ToString(CultureInfo.InvariantCulture), item["groupID"]!.GetValue<string>());
        Assert.Equal("error", item["event.type"]!.GetValue<string>());
        Assert.Equal("Seeded problem 01", item["title"]!.GetValue<string>());
        Assert.Matches(IsoUtc, item["dateCreated"]!.GetValue<string>());
        Assert.Equal("production", item["tags"]![0]!["value"]!.GetValue<string>());

        var latest = (await Server.GetAsync(path + "latest/")).AssertStatus(200).Json!;
        Assert.Equal(seeded.EventIds[2], latest["eventID"]!.GetValue<string>());
        Assert.Null(latest["nextEventID"]);
        Assert.Equal(seeded.EventIds[1], latest["previousEventID"]!.GetValue<string>());

        var oldest = (await Server.GetAsync(path + "oldest/")).AssertStatus(200).Json!;
        Assert.Equal(seeded.EventIds[0], oldest["eventID"]!.GetValue<string>());
        Assert.Null(oldest["previousEventID"]);

        var middle = (await Server.GetAsync(path + seeded.EventIds[1] + "/")).AssertStatus(200).Json!;
        Assert.Equal(seeded.EventIds[0], middle["previousEventID"]!.GetValue<string>());
        Assert.Equal(seeded.EventIds[2], middle["nextEventID"]!.GetValue<string>());
        Assert.Equal([Seed.Hash(seeded.AlphaId, 1)], middle["fingerprints"]!.AsArray().Select(h => h!.GetValue<string>()));

        (await Server.GetAsync(path + new string('f', 32) + "/")).AssertStatus(404);
        (await Server.GetAsync(path + "not-an-event/")).AssertStatus(404);
        (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/events/{seeded.EventIds[1]}/")).AssertStatus(404);
        (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/events/latest/")).AssertStatus(404);
    }

    [Fact]
    public async Task Hashes_list_each_hash_with_its_latest_event()
    {
        var hashes = (await Server.GetAsync($"/api/0/issues/{seeded.WithEvents.Id}/hashes/")).AssertStatus(200).Json!.AsArray();

        var hash = Assert.Single(hashes)!;
        Assert.Equal(Seed.Hash(seeded.AlphaId, 1), hash["id"]!.GetValue<string>());
        Assert.Equal(seeded.EventIds[2], hash["latestEvent"]!["eventID"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tag_values_are_paged()
    {
        var tags = (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/tags/")).AssertStatus(200).Json!.AsArray();
        var environment = Assert.Single(tags)!;
        Assert.Equal(seeded.WithStats.TimesSeen, environment["totalValues"]!.GetValue<long>());
        Assert.Equal(1, environment["uniqueValues"]!.GetValue<long>());
        var top = Assert.Single(environment["topValues"]!.AsArray())!;
        Assert.Equal("production", top["value"]!.GetValue<string>());
        Assert.Equal("production", top["name"]!.GetValue<string>());
        Assert.Equal("environment", top["key"]!.GetValue<string>());
        Assert.Matches(IsoUtc, top["lastSeen"]!.GetValue<string>());

        var key = (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/tags/environment/")).AssertStatus(200).Json!;
        Assert.Equal("environment", key["key"]!.GetValue<string>());
        var values = (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/tags/environment/values/?limit=1")).AssertStatus(200);
        Assert.Single(values.Json!.AsArray());
        Assert.False(LinkHeader.Parse(values.Link).Next.Results);
        (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/tags/browser/")).AssertStatus(404);
        (await Server.GetAsync($"/api/0/issues/{seeded.WithStats.Id}/tags/browser/values/")).AssertStatus(404);
    }

    private async Task<int> CountAsync(string path) => (await Server.GetAsync(path)).AssertStatus(200).Json!.AsArray().Count;

    private static List<string> Ids(ApiResponse response) => [.. response.Json!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

    private static JsonNode Find(ApiResponse response, string id) =>
        response.AssertStatus(200).Json!.AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!;
}
