using Grains.Monitoring.Outcomes;
using Grains.Server.Api.Stats;
using Grains.Server.Dashboard.Stats;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Grains.Dashboard.Tests.Settings;

public sealed class StatsSummaryTests : SettingsTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Totals_add_up_the_period_per_outcome_of_the_category()
    {
        var hour = Now.AddHours(-1).ToUnixTimeSeconds() / 3600 * 3600;
        var summary = Summarize(
            Row(1, hour, "error", OutcomeKind.Accepted, 5),
            Row(1, hour - 3600, "error", OutcomeKind.Accepted, 7),
            Row(2, hour, "default", OutcomeKind.Accepted, 1), // stored "default" reads as error, as in the API
            Row(1, hour, "error", OutcomeKind.RateLimited, 3),
            Row(1, hour, "error", OutcomeKind.Filtered, 2),
            Row(1, hour, "transaction", OutcomeKind.Accepted, 100),
            Row(1, hour - (48 * 3600), "error", OutcomeKind.Accepted, 1_000), // before the period
            Row(9, hour, "error", OutcomeKind.Accepted, 50)); // another organization's project

        var view = Render<StatsSummary>(p => p.Add(s => s.Summary, summary).Add(s => s.Category, "error"));

        Assert.Equal("13", Total(view, "stats-total-accepted"));
        Assert.Equal("3", Total(view, "stats-total-rate-limited"));
        Assert.Equal("2", Total(view, "stats-total-filtered"));
        Assert.Equal("0", Total(view, "stats-total-invalid"));
        Assert.Equal(["error", "transaction"], view.FindAll("[data-testid=stats-row]").Select(r => r.GetAttribute("data-category")));
        Assert.NotEmpty(view.Find("[data-testid=stats-chart]").QuerySelectorAll("svg"));
    }

    [Fact]
    public void Another_category_shows_its_own_totals_and_other_outcomes_with_data()
    {
        var hour = Now.AddHours(-2).ToUnixTimeSeconds() / 3600 * 3600;
        var summary = Summarize(
            Row(1, hour, "transaction", OutcomeKind.Accepted, 1_234_567),
            Row(1, hour, "transaction", OutcomeKind.Abuse, 4),
            Row(1, hour, "error", OutcomeKind.Accepted, 5));

        var view = Render<StatsSummary>(p => p.Add(s => s.Summary, summary).Add(s => s.Category, "transaction"));

        Assert.Equal("1,234,567", Total(view, "stats-total-accepted"));
        Assert.Equal("4", Total(view, "stats-total-abuse"));
        Assert.Equal(summary.Intervals.Count, summary.Series("transaction", "accepted").Count);
        Assert.Equal(1_234_567, summary.Series("transaction", "accepted").Sum());
    }

    [Fact]
    public void An_empty_period_says_so()
    {
        var view = Render<StatsSummary>(p => p.Add(s => s.Summary, Summarize()));

        Assert.Equal("0", Total(view, "stats-total-accepted"));
        Assert.NotNull(view.Find("[data-testid=stats-empty]"));
    }

    private static string Total(IRenderedComponent<StatsSummary> view, string testId) =>
        view.Find($"[data-testid={testId}] [data-testid=stats-total-value]").TextContent.Trim();

    private static OutcomeRow Row(long project, long hour, string category, OutcomeKind outcome, long quantity) =>
        new(project == 9 ? 2 : 1, project, null, hour, category, outcome, null, quantity, 1);

    // The page's query, answered by the API's response builder over the organization's projects 1 and 2.
    private static OutcomeSummary Summarize(params OutcomeRow[] rows)
    {
        var query = StatsQueryParser.Parse(new QueryCollection(new Dictionary<string, StringValues>
        {
            ["statsPeriod"] = "24h",
            ["interval"] = "1h",
            ["field"] = StatsQueryParser.QuantityField,
            ["groupBy"] = new StringValues(["category", "outcome"]),
        }), Now);
        return OutcomeSummary.From(StatsResponse.Build(query, rows, new HashSet<long> { 1, 2 }));
    }
}
