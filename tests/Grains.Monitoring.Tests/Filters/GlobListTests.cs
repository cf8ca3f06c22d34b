using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Tests.Filters;

public sealed class GlobListTests
{
    [Theory]
    [InlineData("1.0.*", "1.0.3", true)]
    [InlineData("1.0.*", "1.1.0", false)]
    [InlineData("1.0.*", "1.0.", true)]
    [InlineData("*", "anything", true)]
    [InlineData("*", "", false)] // an empty value never matches
    [InlineData("*error*", "line one\nan ERROR here", true)] // * crosses newlines, case-insensitive
    [InlineData("Beta-?", "beta-7", true)]
    [InlineData("Beta-?", "beta-17", false)]
    [InlineData("rc[0-4]", "RC3", true)]
    [InlineData("rc[0-4]", "rc5", false)]
    [InlineData("rc[!0-4]", "rc5", true)]
    [InlineData("{alpha,beta}-1", "beta-1", true)]
    [InlineData("{alpha,beta}-1", "gamma-1", false)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axb", false)]
    [InlineData("a.b", "axb", false)] // regex characters are literal
    [InlineData("(x)+", "(x)+", true)]
    [InlineData("abc", "xabcx", false)] // whole-string match
    [InlineData("ÄÖ*", "äö-1", true)]
    public void Globs_match_like_relay(string pattern, string value, bool matches) =>
        Assert.Equal(matches, new GlobList([pattern]).IsMatch(value));

    [Fact]
    public void A_list_matches_when_any_pattern_does_and_an_empty_list_never()
    {
        var list = new GlobList(["1.*", "beta"]);
        Assert.True(list.IsMatch("1.2"));
        Assert.True(list.IsMatch("BETA"));
        Assert.False(list.IsMatch("2.0"));
        Assert.False(GlobList.Empty.IsMatch("x"));
        Assert.False(list.IsMatch(null));
    }

    [Theory]
    [InlineData("1.0.[", "unclosed '['")]
    [InlineData("{a,b", "unclosed '{'")]
    [InlineData(@"trailing\", "backslash")]
    [InlineData("[z-a]", "not a valid glob")]
    [InlineData("[]", "unclosed '['")]
    public void Malformed_globs_are_refused_with_a_reason(string pattern, string reason) =>
        Assert.Contains(reason, GlobList.Validate(pattern), StringComparison.Ordinal);

    [Theory]
    [InlineData("[]]")]
    [InlineData("a}b")]
    [InlineData("x,y")]
    [InlineData("[a-]")]
    public void Unusual_but_valid_globs_are_accepted(string pattern) => Assert.Null(GlobList.Validate(pattern));
}
