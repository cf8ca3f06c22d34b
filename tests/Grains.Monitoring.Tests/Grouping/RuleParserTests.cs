using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Fingerprinting;

namespace Grains.Monitoring.Tests.Grouping;

public class RuleParserTests
{
    /// <summary>Malformed stack-trace rules → reason and 1-based column of the failure.</summary>
    public static TheoryData<string, string, int> BadEnhancementRules => new()
    {
        { "function:foo", "Rule has no actions", 13 },
        { "-app", "Rule has no frame matchers", 5 },
        { "foo:bar -app", "Unknown matcher 'foo'", 1 },
        { "function:foo +ap", "Unknown action '+ap' (expected +app, -app, +group or -group)", 14 },
        { "function:foo max-frames=abc", "Invalid value 'abc' for max-frames (expected a non-negative integer)", 25 },
        { "function:foo invert-stacktrace=maybe", "Invalid value 'maybe' for invert-stacktrace (expected a boolean)", 32 },
        { "function:foo frobnicate=1", "Unknown variable 'frobnicate' (expected max-frames, min-frames, invert-stacktrace or category)", 14 },
        { "function:\"foo -app", "Unterminated quoted string", 10 },
        { "[ function:foo | function:bar -app", "Expected ']' to close the caller/callee matcher", 16 },
        { "function:foo -app function:bar", "Expected an action (matchers must come before actions)", 19 },
        { "function -app", "Expected ':' after matcher key in 'function' (or an unknown action)", 1 },
        { "app:maybe -app", "Invalid value 'maybe' for app matcher (expected yes/no/true/false/1/0)", 1 },
        { "function: -app", "Missing pattern for matcher 'function'", 10 },
        { "function:foo | function:bar -app", "Expected '[' after '|'", 16 },
        { "function:foo\r-app", "Rule has no actions", 13 },
        { "function:\"a\rb\" -app", "Unterminated quoted string", 10 },
        { "function:foo -app\t| [ function:bar ]", "Unexpected '|'", 19 },
        { "[ function:foo ] function:bar -app", "Expected '|' after caller matcher", 18 },
        { "function:foo category=", "Missing value for 'category'", 23 },
        { "function:foo max-frames=\"\"", "Missing value for 'max-frames'", 25 },
        { "function:foo max-frames=-1", "Invalid value '-1' for max-frames (expected a non-negative integer)", 25 },
    };

    [Theory]
    [MemberData(nameof(BadEnhancementRules))]
    public void Malformed_enhancement_rule_reports_reason_and_position(string rule, string reason, int column)
    {
        var error = Assert.Throws<EnhancementParseException>(() => EnhancementRuleSet.Parse("# header comment\n" + rule));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(2, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_rules_parse_and_round_trip_hint_text()
    {
        var rules = EnhancementRuleSet.Default;
        Assert.True(rules.RuleCount > 300);
        var texts = rules.ContributesRules.Select(r => r.Text).ToHashSet();
        Assert.Contains("module:io.sentry.* -group", texts);
        Assert.Contains("[ category:throw ] | category:throw category=internals", rules.ClassifierRules.Select(r => r.Text));
        Assert.Contains("[ !category:system ] | category:system | [ !category:system ] category=indirection", rules.ClassifierRules.Select(r => r.Text));
        Assert.Contains("family:native function:\"stub InvokeDartCode\" -app", rules.ClassifierRules.Select(r => r.Text));
    }

    [Fact]
    public void Embedded_default_rules_are_byte_identical_to_upstream_copy()
    {
        var shared = Path.Combine(GroupingFixtures.FixtureRoot, "enhancements", "all-platforms@2026-01-20.txt");
        Assert.Equal(File.ReadAllText(shared), EnhancementRuleSet.DefaultRulesText());
    }

    [Fact]
    public void Valid_custom_rules_parse_with_ranges_and_variables()
    {
        var rules = EnhancementRuleSet.Parse("""
            # comment
            stack.function:runApp -app -group
            path:**/release_webhook.py v-group   # trailing comment
            function:wrapped_view ^-group -group
            error.type:ValueError max-frames=3 min-frames=2
            "stack.module":"foo bar" category=internals
            """);
        Assert.Equal(5, rules.RuleCount);
        Assert.Contains("function:runApp -group", rules.ContributesRules.Select(r => r.Text));
        Assert.Contains("module:\"foo bar\" category=internals", rules.ClassifierRules.Select(r => r.Text));
    }

    /// <summary>Malformed server-side fingerprint rules → reason and column.</summary>
    public static TheoryData<string, string, int> BadFingerprintRules => new()
    {
        { "type:Foo", "Expected '->' followed by a fingerprint", 9 },
        { "-> foo", "Rule has no matchers before '->'", 3 },
        { "type:Foo ->", "Rule has an empty fingerprint after '->'", 12 },
        { "bogus:Foo -> x", "Unknown matcher 'bogus'", 1 },
        { "type:Foo -> x color=\"red\"", "Unknown attribute 'color'", 15 },
        { "type:\"Foo -> x", "Unterminated quoted string", 6 },
        { "type:Foo -> {{ default", "Unterminated '{{' variable", 13 },
        { "type:Foo -> title=red", "Expected a quoted value after 'title='", 19 },
        { "type -> x", "Expected ':' after matcher key 'type'", 1 },
        { "type:Foo\r-> x", "Expected '->' followed by a fingerprint", 9 },
        { "type:\"a\rb\" -> x", "Unterminated quoted string", 6 },
        { "type:Foo -> ,", "Unexpected character ',' in fingerprint", 13 },
        { "!:Foo -> x", "Expected a matcher (key:pattern)", 1 },
    };

    [Theory]
    [MemberData(nameof(BadFingerprintRules))]
    public void Malformed_fingerprint_rule_reports_reason_and_position(string rule, string reason, int column)
    {
        var error = Assert.Throws<FingerprintParseException>(() => FingerprintRuleSet.Parse("# comment\n\n" + rule));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(3, error.Line);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Bad_json_fingerprint_rule_is_rejected()
    {
        var rules = System.Text.Json.Nodes.JsonNode.Parse("""[{"matchers":[["nope","x"]],"fingerprint":["a"]}]""")!.AsArray();
        var error = Assert.Throws<FingerprintParseException>(() => FingerprintRuleSet.FromJson(rules));
        Assert.Equal("Unknown matcher 'nope'", error.Reason);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Valid_fingerprint_rules_parse()
    {
        var rules = FingerprintRuleSet.Parse("""
            # comment
            error.type:DatabaseError -> database-error
            !logger:"my.logger" message:"*timeout*" -> timeouts, {{ transaction }} title="Timeout in {{ transaction }}"
            tags.server_name:"web-*" app:yes -> "{{ default }}" web
            """);
        Assert.Equal(3, rules.ProjectRuleCount);
    }
}
