using Grains.Server.Dashboard.Issues;

namespace Grains.Dashboard.Tests.Issues;

public sealed class IssueStreamStateTests
{
    [Fact]
    public void Defaults_are_left_out_of_the_url() =>
        Assert.Equal("/organizations/acme/issues/", new IssueStreamState().ToUrl("acme"));

    [Fact]
    public void Every_part_of_the_state_survives_the_url()
    {
        var state = new IssueStreamState("is:unresolved level:error", "freq", "24h", "prod & test", 42, "c:1:2");

        var url = new Uri("http://x" + state.ToUrl("acme"));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        var back = IssueStreamState.From(query["query"], query["sort"], query["statsPeriod"], query["environment"], query["project"], query["cursor"]);

        Assert.Equal(state, back);
    }

    [Theory]
    [InlineData(null, null, null, "date", "14d")]
    [InlineData("priority", "1y", null, "date", "14d")]
    [InlineData("user", "30d", "-1", "user", "30d")]
    public void Unknown_values_fall_back_to_the_defaults(string? sort, string? period, string? project, string expectedSort, string expectedPeriod)
    {
        var state = IssueStreamState.From(null, sort, period, "", project, "");

        Assert.Equal(expectedSort, state.Sort);
        Assert.Equal(expectedPeriod, state.StatsPeriod);
        Assert.Null(state.Project);
        Assert.Null(state.Environment);
        Assert.Null(state.Cursor);
    }

    [Theory]
    [InlineData(null, "14d", "is:unresolved lastSeen:-14d")]
    [InlineData("", "24h", "is:[unresolved,resolved,ignored] lastSeen:-24h")]
    [InlineData("  level:error ", "7d", "level:error lastSeen:-7d")]
    public void The_store_query_adds_the_period(string? query, string period, string expected) =>
        Assert.Equal(expected, new IssueStreamState(query, StatsPeriod: period).StoreQuery);

    [Fact]
    public void An_empty_search_is_kept_in_the_url_so_it_is_not_read_as_the_default() =>
        Assert.Equal("/organizations/acme/issues/?query=", new IssueStreamState("").ToUrl("acme"));
}
