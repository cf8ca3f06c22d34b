using System.Text.RegularExpressions;

namespace Grains.Server.Tests.Api;

/// <summary>Parses Sentry's <c>Link</c> header: <c>&lt;url&gt;; rel="previous"; results="false"; cursor="…", &lt;url&gt;; rel="next"; …</c>.</summary>
public sealed partial record LinkHeader(LinkHeader.Entry Previous, LinkHeader.Entry Next)
{
    public sealed record Entry(string Url, bool Results, string Cursor);

    public static LinkHeader Parse(string? header)
    {
        Assert.NotNull(header);
        var matches = Pattern().Matches(header);
        Assert.True(matches.Count == 2, $"expected two links in '{header}'");
        var entries = matches.ToDictionary(
            m => m.Groups["rel"].Value,
            m => new Entry(m.Groups["url"].Value, m.Groups["results"].Value == "true", m.Groups["cursor"].Value));
        Assert.True(header.IndexOf("rel=\"previous\"", StringComparison.Ordinal) < header.IndexOf("rel=\"next\"", StringComparison.Ordinal), "previous comes first");
        return new LinkHeader(entries["previous"], entries["next"]);
    }

    /// <summary>The path and query of an entry's URL, for the test client.</summary>
    public static string PathAndQuery(Entry entry) => new Uri(entry.Url).PathAndQuery;

    [GeneratedRegex("<(?<url>[^>]+)>; rel=\"(?<rel>previous|next)\"; results=\"(?<results>true|false)\"; cursor=\"(?<cursor>[^\"]*)\"")]
    private static partial Regex Pattern();
}
