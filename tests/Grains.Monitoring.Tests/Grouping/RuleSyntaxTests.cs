using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Fingerprinting;
using Grains.Monitoring.Grouping.RuleSyntax;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>
/// The stack-trace rule and fingerprint rule parsers share one tokenizer (<see cref="RuleLineReader"/>):
/// the same matcher text must lex the same way in both languages, errors included.
/// </summary>
public class RuleSyntaxTests
{
    /// <summary>Malformed matcher text → the same reason, line and column from both parsers.</summary>
    public static TheoryData<string, string, int, int> BadMatchers => new()
    {
        { "function:\"foo", "Unterminated quoted string", 1, 10 },
        // A raw CR ends the line (Sentry's newline is [\r\n]), so the quote is cut off on line 1.
        { "function:\"fo\ro\"", "Unterminated quoted string", 1, 10 },
        { "function:\"fo\r\no\"", "Unterminated quoted string", 1, 10 },
        { "function:", "Missing pattern for matcher 'function'", 1, 10 },
        { "function:\"\"", "Missing pattern for matcher 'function'", 1, 12 },
        { "bogus:foo", "Unknown matcher 'bogus'", 1, 1 },
        { "!bogus:foo", "Unknown matcher 'bogus'", 1, 1 },
        { "\"bogus\":foo", "Unknown matcher 'bogus'", 1, 1 },
        { "\t function:foo \v bogus:x", "Unknown matcher 'bogus'", 1, 18 },
        { "# comment\r\nbogus:foo", "Unknown matcher 'bogus'", 2, 1 },
        { "# comment\rbogus:foo", "Unknown matcher 'bogus'", 2, 1 },
        { "# comment\n\rbogus:foo", "Unknown matcher 'bogus'", 3, 1 },
        { "# comment\r\rbogus:foo", "Unknown matcher 'bogus'", 3, 1 },
    };

    [Theory]
    [MemberData(nameof(BadMatchers))]
    public void Malformed_matchers_fail_alike_in_both_rule_languages(string matchers, string reason, int line, int column)
    {
        var enhancement = Assert.Throws<EnhancementParseException>(() => EnhancementRuleSet.Parse(matchers + " -app"));
        var fingerprint = Assert.Throws<FingerprintParseException>(() => FingerprintRuleSet.Parse(matchers + " -> x"));
        foreach (GroupingRuleParseException error in new GroupingRuleParseException[] { enhancement, fingerprint })
        {
            Assert.Equal(reason, error.Reason);
            Assert.Equal(line, error.Line);
            Assert.Equal(column, error.Column);
        }
    }

    /// <summary>Quoted patterns → the decoded pattern, identical in both languages.</summary>
    public static TheoryData<string, string> QuotedPatterns => new()
    {
        { "\"a\\rb\"", "a\rb" },
        { "\"a\\nb\"", "a\nb" },
        { "\"a\\tb\"", "a\tb" },
        { "\"a\\\"b\"", "a\"b" },
        { "\"a\\\\b\"", "a\\b" },
        // Unknown escapes keep their backslash: globs escape their own metacharacters this way.
        { "\"a\\[b\\]\"", "a\\[b\\]" },
        { "\"a\\*\"", "a\\*" },
        { "\"a b#c\"", "a b#c" },
        { "\"\\\\\"", "\\" },
        { "plain*", "plain*" },
    };

    [Theory]
    [MemberData(nameof(QuotedPatterns))]
    public void Quoted_patterns_decode_alike_in_both_rule_languages(string pattern, string decoded)
    {
        var enhancement = EnhancementRuleSet.Parse($"function:{pattern} -app").ClassifierRules.Single();
        var fingerprint = FingerprintParser.Parse($"function:{pattern} -> x", isBuiltIn: false).Single();
        Assert.Equal(decoded, enhancement.Matchers.Single().Pattern);
        Assert.Equal(decoded, fingerprint.Matchers.Single().Pattern);
    }

    /// <summary>Separators: any white space between tokens, CR/LF/CRLF between lines, in both languages.</summary>
    public static TheoryData<string> Separated => new()
    {
        "function:foo module:bar",
        "function:foo\tmodule:bar",
        "  function:foo   module:bar  ",
        "function:foo\vmodule:bar\f",
        "function:foo\u00a0module:bar",
        "\"function\":\"foo\" \"module\":bar",
    };

    [Theory]
    [MemberData(nameof(Separated))]
    public void Separators_lex_alike_in_both_rule_languages(string matchers)
    {
        var enhancement = EnhancementRuleSet.Parse(matchers + "\t-app").ClassifierRules.Single();
        var fingerprint = FingerprintParser.Parse(matchers + "\t-> x", isBuiltIn: false).Single();
        Assert.Equal(new[] { ("function", "foo"), ("module", "bar") }, enhancement.Matchers.Select(m => (m.Key, m.Pattern)));
        Assert.Equal(new[] { ("function", "foo"), ("module", "bar") }, fingerprint.Matchers.Select(m => (m.Key, m.Pattern)));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Every_line_break_separates_rules_in_both_languages(string lineBreak)
    {
        var enhancements = EnhancementRuleSet.Parse(string.Join(lineBreak, "# c", "function:a -app", "", "function:b -app", ""));
        var fingerprints = FingerprintParser.Parse(string.Join(lineBreak, "# c", "function:a -> x", "", "function:b -> y", ""), isBuiltIn: false);
        Assert.Equal(new[] { "a", "b" }, enhancements.ClassifierRules.Select(r => r.Matchers.Single().Pattern));
        Assert.Equal(new[] { "a", "b" }, fingerprints.Select(r => r.Matchers.Single().Pattern));
    }

    [Fact]
    public void Line_splitter_numbers_lines_like_an_editor()
    {
        Assert.Equal(
            new[] { (1, "a"), (2, "b"), (3, "c"), (4, string.Empty), (5, "d"), (6, string.Empty) },
            RuleLines.Split("a\r\nb\rc\n\rd\n").ToArray());
        Assert.Equal(new[] { (1, string.Empty) }, RuleLines.Split(string.Empty).ToArray());
    }
}
