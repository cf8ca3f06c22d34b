using Grains.Monitoring.Storage;
using Grains.Server.Dashboard.IssueDetails;

namespace Grains.Dashboard.Tests.IssueDetails;

public sealed class TagBarsTests : IssueDetailsTestContext
{
    private static readonly DateTimeOffset Seen = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static IssueTagKey Tag(string key, long total, params (string Value, long Count)[] top) =>
        new(key, total, top.Length, [.. top.Select(t => new IssueTagValue(key, t.Value, t.Count, Seen, Seen))]);

    [Theory]
    [InlineData(1, 3, "33%")]
    [InlineData(2, 3, "67%")]
    [InlineData(1, 2, "50%")]
    [InlineData(1, 200, "1%")]
    [InlineData(1, 201, "<1%")]
    [InlineData(1, 1000, "<1%")]
    [InlineData(999, 1000, ">99%")]
    [InlineData(1995, 2000, ">99%")]
    [InlineData(5, 5, "100%")]
    [InlineData(0, 5, "0%")]
    [InlineData(3, 0, "0%")]
    [InlineData(-1, 5, "0%")]
    [InlineData(7, 5, "100%")]
    public void Share_labels_round_without_claiming_zero_or_all(long count, long total, string expected)
        => Assert.Equal(expected, TagShare.Label(count, total));

    [Fact]
    public void Each_top_value_gets_a_bar_with_its_percentage_and_the_rest_is_other()
    {
        var tags = new[] { Tag("browser", 10, ("Chrome", 6), ("Firefox", 3)) };

        var view = Render<TagBars>(p => p.Add(c => c.Tags, tags));

        var bars = view.FindAll("[data-testid=tag-bar]");
        Assert.Equal(["Chrome", "Firefox", "Other"], bars.Select(b => b.GetAttribute("data-tag-value")));
        Assert.Equal(["60%", "30%", "10%"], bars.Select(b => b.QuerySelector(".grains-tag-share")!.TextContent));
        Assert.Contains("Browser", view.Markup, StringComparison.Ordinal);
        Assert.Contains("Chrome: 60% (6 of 10 events)", bars[0].InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_cover_all_events_have_no_other_bar_and_user_values_drop_their_kind()
    {
        var tags = new[] { Tag("user", 4, ("id:42", 3), ("email:a@example.com", 1)) };

        var view = Render<TagBars>(p => p.Add(c => c.Tags, tags));

        var bars = view.FindAll("[data-testid=tag-bar]");
        Assert.Equal(["42", "a@example.com"], bars.Select(b => b.GetAttribute("data-tag-value")));
        Assert.Equal(["75%", "25%"], bars.Select(b => b.GetAttribute("data-percent")));
    }

    [Theory]
    [InlineData("browser", "Chrome 131", "browser:\"Chrome 131\"", "Chrome 131")]
    [InlineData("url", "https://x/?a=1", "url:\"https://x/?a=1\"", "https://x/?a=1")]
    [InlineData("note", "say \"hi\"", "note:\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("glob", "a*b", "glob:\"a\\*b\"", "a\\*b")]
    public void Tag_values_link_to_a_search_the_streams_parser_reads_back(string key, string value, string term, string parsed)
    {
        Assert.Equal(term, TagSearch.Term(key, value));

        var read = Assert.Single(Grains.Monitoring.Search.IssueSearch.Parse(term).Terms);
        Assert.Equal(key, read.Key);
        Assert.Equal(parsed, read.Value.Text);
    }

    [Fact]
    public void Top_values_link_to_the_stream_and_other_does_not()
    {
        var tags = new[] { Tag("browser", 3, ("Chrome", 2)) };

        var view = Render<TagBars>(p => p.Add(c => c.Tags, tags).Add(c => c.Organization, "acme").Add(c => c.ProjectId, 7));

        var link = view.Find("[data-testid=tag-bar][data-tag-value=Chrome] a").GetAttribute("href");
        Assert.Equal("/organizations/acme/issues/?project=7&query=is%3Aunresolved%20browser%3A%22Chrome%22", link);
        Assert.Empty(view.FindAll("[data-testid=tag-bar][data-tag-value=Other] a"));
    }

    [Fact]
    public void No_tags_says_so()
    {
        var view = Render<TagBars>(p => p.Add(c => c.Tags, Array.Empty<IssueTagKey>()));

        Assert.Empty(view.FindAll("[data-testid=tag-bar]"));
        view.Find("[data-testid=tags-empty]");
    }
}
