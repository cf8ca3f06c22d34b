using Grains.Ingestion.Normalization.UserAgent;

namespace Grains.Ingestion.Tests.Normalization.UserAgent;

public sealed class UapRegexFileTests
{
    [Fact]
    public void Reads_sections_rules_comments_and_doubled_quotes()
    {
        var sections = UapRegexFile.Parse(new StringReader("""
            # heading
            user_agent_parsers:
              #### a comment
              - regex: '(Foo) ''quoted'' \d+'
                family_replacement: 'Foo''s'

              - regex: 'Bar'
            os_parsers:
              - regex: '(x)'
            """));

        var browsers = sections["user_agent_parsers"];
        Assert.Equal(2, browsers.Count);
        Assert.Equal(@"(Foo) 'quoted' \d+", browsers[0]["regex"]);
        Assert.Equal("Foo's", browsers[0]["family_replacement"]);
        Assert.Equal("Bar", browsers[1]["regex"]);
        Assert.Single(sections["os_parsers"]);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        // file, expected message part
        { "  - regex: 'x'", "line 1: a rule before any section" },
        { "parsers:\n    family_replacement: 'x'", "line 2: a key before the first '- '" },
        { "parsers:\n  - regex: \"x\"", "line 2: expected a single-quoted value" },
        { "parsers:\n  - regex: x", "line 2: expected a single-quoted value" },
        { "parsers:\n  - regex: 'x", "line 2: expected a single-quoted value" },
        { "parsers:\n  - regex: 'it's'", "line 2: a single quote inside the value" },
        { "parsers:\n  - regex 'x'", "line 2: expected `key: 'value'`" },
        { "parsers:\n  - : 'x'", "line 2: expected `key: 'value'`" },
        { "parsers:\n  - regex: 'x'\n    regex: 'y'", "line 3: key 'regex' appears twice" },
        { "parsers:\nparsers:", "line 2: section 'parsers' appears twice" },
        { "parsers: 'x'", "line 1: expected a section name" },
        { "parsers", "line 1: expected a section name" },
        { "par sers:", "line 1: expected a section name" },
        { "parsers:\n  - [a, b]", "line 2: expected `key: 'value'`" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Anything_outside_the_subset_is_rejected_with_its_line(string file, string message)
    {
        var error = Assert.Throws<FormatException>(() => UapRegexFile.Parse(new StringReader(file)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
