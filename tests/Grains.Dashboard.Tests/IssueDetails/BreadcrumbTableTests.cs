using System.Text.Json.Nodes;
using Grains.Server.Dashboard.IssueDetails;

namespace Grains.Dashboard.Tests.IssueDetails;

public sealed class BreadcrumbTableTests : IssueDetailsTestContext
{
    private static JsonObject Crumbs(int count) => new()
    {
        ["values"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["timestamp"] = $"2026-12-04T12:00:{i % 60:00}.250000Z",
            ["category"] = "nav",
            ["level"] = "info",
            ["message"] = $"step {i}",
        })]),
    };

    [Fact]
    public void Rows_show_time_category_level_message_and_data_newest_first()
    {
        var data = new JsonObject
        {
            ["values"] = new JsonArray(
                new JsonObject { ["timestamp"] = "2026-12-04T12:00:01.500000Z", ["type"] = "http", ["level"] = "warning", ["data"] = new JsonObject { ["url"] = "/api", ["status_code"] = 500 } },
                new JsonObject { ["timestamp"] = "2026-12-04T12:00:02.000000Z", ["category"] = "console", ["message"] = "boom" }),
        };

        var view = Render<BreadcrumbTable>(p => p.Add(c => c.Data, data));

        var rows = view.FindAll("[data-testid=breadcrumb]");
        Assert.Equal(2, rows.Count);
        var cells = rows[0].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["12:00:02.000", "console", "info", "boom"], cells);
        var http = rows[1].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["12:00:01.500", "http", "warning"], http.Take(3));
        Assert.Contains("url", http[3], StringComparison.Ordinal);
        Assert.Contains("500", http[3], StringComparison.Ordinal);
        Assert.Equal("2026-12-04T12:00:02.000000Z", rows[0].QuerySelector("time")!.GetAttribute("datetime"));
    }

    [Fact]
    public void A_long_trail_shows_the_newest_until_show_all()
    {
        var view = Render<BreadcrumbTable>(p => p.Add(c => c.Data, Crumbs(30)));

        var rows = view.FindAll("[data-testid=breadcrumb]");
        Assert.Equal(BreadcrumbTable.Initial, rows.Count);
        Assert.Contains("step 29", rows[0].TextContent, StringComparison.Ordinal);

        view.Find("[data-testid=breadcrumbs-show-all]").Click();

        Assert.Equal(30, view.FindAll("[data-testid=breadcrumb]").Count);
        Assert.Empty(view.FindAll("[data-testid=breadcrumbs-show-all]"));
    }

    [Fact]
    public void No_breadcrumbs_says_so()
    {
        var view = Render<BreadcrumbTable>(p => p.Add(c => c.Data, null));

        Assert.Empty(view.FindAll("[data-testid=breadcrumb]"));
        Assert.Contains("No breadcrumbs", view.Markup, StringComparison.Ordinal);
    }
}
