using Grains.Monitoring.Search;

namespace Grains.Monitoring.Storage.Tests;

public sealed class IssueSearchTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("AND")]
    public void Blank_queries_have_no_terms(string? query) => Assert.True(IssueSearch.Parse(query).IsEmpty);

    [Fact]
    public void Terms_are_split_on_whitespace_outside_quotes_and_lists()
    {
        var search = IssueSearch.Parse("  is:unresolved   browser:\"Chrome 120\"  os:[Linux, \"Mac OS\"]  timeout ");

        Assert.Equal(["is:unresolved", "browser:\"Chrome 120\"", "os:[Linux, \"Mac OS\"]", "timeout"], search.Terms.Select(t => t.Raw));
        Assert.Equal("Chrome 120", search.Terms[1].Value.Text);
        Assert.Equal(["Linux", "Mac OS"], search.Terms[2].Values.Select(v => v.Text));
        Assert.True(search.Terms[3].IsFreeText);
        Assert.Equal("is:unresolved browser:\"Chrome 120\" os:[Linux, \"Mac OS\"] timeout", search.ToString());
    }

    [Theory]
    [InlineData("is:unresolved", "is", SearchOperator.Equal, "unresolved")]
    [InlineData("IS:Resolved", "is", SearchOperator.Equal, "resolved")]
    [InlineData("!is:ignored", "is", SearchOperator.NotEqual, "ignored")]
    [InlineData("level:error", "level", SearchOperator.Equal, "error")]
    [InlineData("!environment:production", "environment", SearchOperator.NotEqual, "production")]
    [InlineData("release:1.0.*", "release", SearchOperator.Equal, "1.0.*")]
    [InlineData("firstrelease:1.0", "firstRelease", SearchOperator.Equal, "1.0")]
    [InlineData("error.type:TypeError", "error.type", SearchOperator.Equal, "TypeError")]
    [InlineData("error.value:\"x is \\\"undefined\\\"\"", "error.value", SearchOperator.Equal, "x is \"undefined\"")]
    [InlineData("has:release", "has", SearchOperator.Equal, "release")]
    [InlineData("!has:user", "has", SearchOperator.NotEqual, "user")]
    [InlineData("browser.name:Chrome", "browser.name", SearchOperator.Equal, "Chrome")]
    [InlineData("url:http://example.com/a", "url", SearchOperator.Equal, "http://example.com/a")]
    [InlineData("sentry:user:id:1", "sentry", SearchOperator.Equal, "user:id:1")]
    [InlineData("timesSeen:>100", "timesSeen", SearchOperator.GreaterThan, "100")]
    [InlineData("timesSeen:>=100", "timesSeen", SearchOperator.GreaterThanOrEqual, "100")]
    [InlineData("timesSeen:<100", "timesSeen", SearchOperator.LessThan, "100")]
    [InlineData("timesseen:<=100", "timesSeen", SearchOperator.LessThanOrEqual, "100")]
    [InlineData("!timesSeen:0", "timesSeen", SearchOperator.NotEqual, "0")]
    public void Keyed_terms_parse(string query, string key, SearchOperator op, string value)
    {
        var term = Assert.Single(IssueSearch.Parse(query).Terms);

        Assert.Equal(query, term.Raw);
        Assert.Equal(key, term.Key);
        Assert.Equal(op, term.Operator);
        Assert.Equal(value, term.Value.Text);
    }

    [Fact]
    public void Numbers_and_times_are_typed()
    {
        var terms = IssueSearch.Parse("timesSeen:>100 age:-24h lastSeen:+7d firstSeen:<=-30m age:-2w firstSeen:2024-01-31 lastSeen:>2024-01-31T10:20:30Z firstSeen:>2024-01-31T10:20:30+02:00").Terms;

        Assert.Equal((SearchValueKind.Number, 100L), (terms[0].Value.Kind, terms[0].Value.Number));
        Assert.Equal((SearchValueKind.Relative, TimeSpan.FromHours(24), true), (terms[1].Value.Kind, terms[1].Value.Offset, terms[1].Value.Within));
        Assert.Equal((TimeSpan.FromDays(7), false), (terms[2].Value.Offset, terms[2].Value.Within));
        Assert.Equal((SearchOperator.LessThanOrEqual, TimeSpan.FromMinutes(30)), (terms[3].Operator, terms[3].Value.Offset));
        Assert.Equal(TimeSpan.FromDays(14), terms[4].Value.Offset);
        Assert.Equal((SearchValueKind.Date, new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero), true), (terms[5].Value.Kind, terms[5].Value.Date, terms[5].Value.DateOnly));
        Assert.Equal((new DateTimeOffset(2024, 1, 31, 10, 20, 30, TimeSpan.Zero), false), (terms[6].Value.Date, terms[6].Value.DateOnly));
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 8, 20, 30, TimeSpan.Zero), terms[7].Value.Date);
        Assert.Equal(TimeSpan.Zero, terms[7].Value.Date.Offset);
        var now = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddHours(-24), terms[1].Value.ResolveRelative(now));
    }

    [Fact]
    public void Lists_wildcards_and_free_text()
    {
        var terms = IssueSearch.Parse("is:[resolved, ignored] !level:[fatal,error] release:*-beta \"connection refused\" db.py a\\*b").Terms;

        Assert.Equal(["resolved", "ignored"], terms[0].Values.Select(v => v.Text));
        Assert.Equal((SearchOperator.NotEqual, 2), (terms[1].Operator, terms[1].Values.Count));
        Assert.True(terms[2].Value.HasWildcard);
        Assert.False(terms[1].Value.HasWildcard);
        Assert.Equal((true, "connection refused"), (terms[3].IsFreeText, terms[3].Value.Text));
        Assert.Equal((true, "db.py"), (terms[4].IsFreeText, terms[4].Value.Text));
        Assert.False(terms[5].Value.HasWildcard);
        Assert.Equal("a*b", terms[5].Value.Literal);
        Assert.Equal("a\\b", IssueSearch.Parse("x:a\\\\b").Terms[0].Value.Literal);
    }

    [Fact]
    public void Message_key_is_free_text()
    {
        var term = Assert.Single(IssueSearch.Parse("message:\"out of memory\"").Terms);

        Assert.True(term.IsFreeText);
        Assert.Equal("out of memory", term.Value.Text);
    }

    [Fact]
    public void Every_status_is_accepted()
    {
        foreach (var status in SearchKeys.Statuses)
        {
            Assert.Equal(status, Assert.Single(IssueSearch.Parse("is:" + status).Terms).Value.Text);
        }
    }

    [Theory]
    [InlineData("level:", "level:", "missing value")]
    [InlineData("is:unresolved level:", "level:", "missing value")]
    [InlineData(":error", ":error", "missing key")]
    [InlineData("!:error", "!:error", "missing key")]
    [InlineData("is:bogus", "is:bogus", "unknown status 'bogus'")]
    [InlineData("is:[resolved, nope]", "is:[resolved, nope]", "unknown status 'nope'")]
    [InlineData("is:>resolved", "is:>resolved", "does not take a comparator")]
    [InlineData("is:assigned", "is:assigned", "unknown status 'assigned'")]
    [InlineData("timesSeen:lots", "timesSeen:lots", "expected a non-negative integer")]
    [InlineData("timesSeen:>-5", "timesSeen:>-5", "expected a non-negative integer")]
    [InlineData("timesSeen:1.5", "timesSeen:1.5", "expected a non-negative integer")]
    [InlineData("timesSeen:99999999999999999999", "timesSeen:99999999999999999999", "expected a non-negative integer")]
    [InlineData("timesSeen:>", "timesSeen:>", "missing value after the comparator")]
    [InlineData("timesSeen:>=", "timesSeen:>=", "missing value after the comparator")]
    [InlineData("timesSeen:[1,2]", "timesSeen:[1,2]", "does not take a list")]
    [InlineData("!timesSeen:>5", "!timesSeen:>5", "cannot be negated")]
    [InlineData("age:24h", "age:24h", "needs a sign")]
    [InlineData("age:-24x", "age:-24x", "unknown time unit 'x'")]
    [InlineData("age:-h", "age:-h", "expected a relative time")]
    [InlineData("age:2024-01-01", "age:2024-01-01", "expected a relative time")]
    [InlineData("age:-9999999d", "age:-9999999d", "out of range")]
    [InlineData("age:-40000d", "age:-40000d", "out of range")]
    [InlineData("!age:-24h", "!age:-24h", "cannot be negated")]
    [InlineData("firstSeen:yesterday", "firstSeen:yesterday", "ISO 8601")]
    [InlineData("firstSeen:2024-13-01", "firstSeen:2024-13-01", "ISO 8601")]
    [InlineData("lastSeen:>2024-01-01T25:00", "lastSeen:>2024-01-01T25:00", "ISO 8601")]
    [InlineData("lastSeen:2024-01-01T", "lastSeen:2024-01-01T", "ISO 8601")]
    [InlineData("firstSeen:2024-01-01X10:00", "firstSeen:2024-01-01X10:00", "ISO 8601")]
    [InlineData("lastSeen:[-1d,-2d]", "lastSeen:[-1d,-2d]", "does not take a list")]
    [InlineData("level:>error", "level:>error", "does not take a comparator")]
    [InlineData("browser:<=5", "browser:<=5", "does not take a comparator")]
    [InlineData("environment:\"prod", "environment:\"prod", "unterminated quote")]
    [InlineData("\"connection refused", "\"connection refused", "unterminated quote")]
    [InlineData("os:[Linux, Mac", "os:[Linux, Mac", "unterminated list")]
    [InlineData("os:[]", "os:[]", "empty value in list")]
    [InlineData("os:[a,,b]", "os:[a,,b]", "empty value in list")]
    [InlineData("os:[a]b", "os:[a]b", "unexpected text after the list")]
    [InlineData("os:[a,[b]]", "os:[a,[b]]", "lists cannot be nested")]
    [InlineData("os:\"a\"b", "os:\"a\"b", "unexpected text after a quoted value")]
    [InlineData("os:a\"b\"", "os:a\"b\"", "unexpected quote inside a value")]
    [InlineData("\"a\"b", "\"a\"b", "unexpected text after a quoted value")]
    [InlineData("\"\"", "\"\"", "empty quoted text")]
    [InlineData("has:", "has:", "missing value")]
    [InlineData("has:a*b", "has:a*b", "not a valid key")]
    [InlineData("has:[a,b]", "has:[a,b]", "one key, not a list")]
    [InlineData("has:>a", "has:>a", "does not take a comparator")]
    [InlineData("tag/name:x", "tag/name:x", "not a valid key")]
    [InlineData("assigned:me", "assigned:me", "not supported")]
    [InlineData("bookmarks:me", "bookmarks:me", "not supported")]
    [InlineData("is:unresolved OR is:resolved", "OR", "OR is not supported")]
    [InlineData("(is:unresolved)", "(is:unresolved)", "parentheses are not supported")]
    [InlineData("message:[a,b]", "message:[a,b]", "message: takes one value")]
    [InlineData("!message:a", "!message:a", "message: takes one value")]
    public void Malformed_terms_are_named_with_a_reason(string query, string term, string reason)
    {
        var error = Assert.Throws<SearchSyntaxException>(() => IssueSearch.Parse(query));

        Assert.Equal(term, error.Term);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{term}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_terms_are_rejected_at_the_first_extra_one()
    {
        var query = string.Join(' ', Enumerable.Range(0, IssueSearch.MaxTerms + 1).Select(i => $"t{i}:v"));

        var error = Assert.Throws<SearchSyntaxException>(() => IssueSearch.Parse(query));

        Assert.Equal($"t{IssueSearch.MaxTerms}:v", error.Term);
        Assert.Equal(IssueSearch.MaxTerms, IssueSearch.Parse(string.Join(' ', Enumerable.Range(0, IssueSearch.MaxTerms).Select(i => $"t{i}:v"))).Terms.Count);
    }

    [Fact]
    public void Parsing_is_linear_on_hostile_input()
    {
        var query = "a:" + new string('"', 1) + new string('\\', 100_000) + "\"" + " " + new string('[', 50_000);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.Throws<SearchSyntaxException>(() => IssueSearch.Parse(query));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), started.Elapsed.ToString());
    }
}
