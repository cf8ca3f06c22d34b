using System.Globalization;
using Grains.Monitoring.Grouping.RuleSyntax;

namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>
/// Parser for the stack-trace rule grammar (one rule per line, <c>#</c> comments):
/// <code>
/// rule    := [ "[" matcher "]" "|" ] matcher+ [ "|" "[" matcher "]" ] action+ [ "#" comment ]
/// matcher := ["!"] key ":" ( "quoted" | bare )
/// action  := ["^"|"v"] ("+"|"-") ("app"|"group") | ("max-frames"|"min-frames"|"invert-stacktrace"|"category") "=" value
/// </code>
/// Errors are reported as <see cref="EnhancementParseException"/> with 1-based line/column.
/// </summary>
internal static class EnhancementParser
{
    public static List<EnhancementRule> Parse(string text)
    {
        var rules = new List<EnhancementRule>();
        foreach (var (number, line) in RuleLines.Split(text))
        {
            var rule = new LineParser(new RuleLineReader(line, number, static (l, c, reason, rule) => new EnhancementParseException(l, c, reason, rule))).ParseRule();
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private sealed class LineParser(RuleLineReader reader)
    {
        public EnhancementRule? ParseRule()
        {
            reader.SkipSpaces();
            if (reader.AtEndOrComment)
            {
                return null;
            }

            EnhancementMatcher? caller = null;
            if (reader.LooksAt('['))
            {
                caller = ParseBracketedMatcher();
                reader.SkipSpaces();
                reader.Expect('|', "Expected '|' after caller matcher");
            }

            var matchers = new List<EnhancementMatcher>();
            EnhancementMatcher? callee = null;
            var actions = new List<EnhancementAction>();
            while (true)
            {
                reader.SkipSpaces();
                if (reader.AtEndOrComment)
                {
                    break;
                }

                if (reader.LooksAt('|'))
                {
                    if (matchers.Count == 0 || actions.Count > 0 || callee is not null)
                    {
                        throw reader.Error("Unexpected '|'");
                    }

                    reader.Position++;
                    reader.SkipSpaces();
                    if (!reader.LooksAt('['))
                    {
                        throw reader.Error("Expected '[' after '|'");
                    }

                    callee = ParseBracketedMatcher();
                    continue;
                }

                if (TryParseAction(out var action))
                {
                    actions.Add(action);
                    continue;
                }

                if (actions.Count > 0 || callee is not null)
                {
                    throw reader.Error("Expected an action (matchers must come before actions)");
                }

                matchers.Add(ParseMatcher());
            }

            if (matchers.Count == 0)
            {
                throw reader.Error("Rule has no frame matchers");
            }

            if (actions.Count == 0)
            {
                throw reader.Error("Rule has no actions");
            }

            return new EnhancementRule(caller, matchers, callee, actions);
        }

        private EnhancementMatcher ParseBracketedMatcher()
        {
            reader.Expect('[', "Expected '['");
            reader.SkipSpaces();
            var matcher = ParseMatcher(insideBrackets: true);
            reader.SkipSpaces();
            reader.Expect(']', "Expected ']' to close the caller/callee matcher");
            return matcher;
        }

        private EnhancementMatcher ParseMatcher(bool insideBrackets = false)
        {
            var start = reader.Position;
            var negated = false;
            if (reader.LooksAt('!'))
            {
                negated = true;
                reader.Position++;
            }

            var key = reader.ReadKeyOrQuoted();
            if (key.Length == 0)
            {
                throw reader.Error($"Expected a matcher key, found '{reader.WordAt(start)}'");
            }

            if (!reader.LooksAt(':'))
            {
                throw reader.ErrorAt(start, $"Expected ':' after matcher key in '{reader.WordAt(start)}' (or an unknown action)");
            }

            reader.Position++;
            var pattern = reader.ReadQuotedOrBare(insideBrackets ? static c => c == ']' : null);
            if (pattern.Length == 0)
            {
                throw reader.Error($"Missing pattern for matcher '{key}'");
            }

            return EnhancementMatcher.TryCreate(key, pattern, negated, out var error)
                ?? throw reader.ErrorAt(start, error!);
        }

        private bool TryParseAction(out EnhancementAction action)
        {
            action = null!;
            var start = reader.Position;
            var token = reader.WordAt(start);

            // Flag actions: [^|v](+|-)(app|group)
            var i = 0;
            var range = EnhancementRange.Self;
            if (token.Length > 1 && (token[0] == '^' || token[0] == 'v') && (token[1] == '+' || token[1] == '-'))
            {
                range = token[0] == '^' ? EnhancementRange.Up : EnhancementRange.Down;
                i = 1;
            }

            if (i < token.Length && (token[i] == '+' || token[i] == '-'))
            {
                var name = token[(i + 1)..];
                var kind = name switch
                {
                    "app" => EnhancementActionKind.App,
                    "group" => EnhancementActionKind.Group,
                    _ => throw reader.Error($"Unknown action '{token}' (expected +app, -app, +group or -group)"),
                };
                action = new EnhancementAction(kind, token[i] == '+', range, null, 0);
                reader.Position += token.Length;
                return true;
            }

            // Variable actions: name=value (spaces around '=' allowed).
            var nameEnd = 0;
            while (nameEnd < token.Length && (char.IsAsciiLetter(token[nameEnd]) || token[nameEnd] == '-'))
            {
                nameEnd++;
            }

            var variable = token[..nameEnd];
            if (variable is not ("max-frames" or "min-frames" or "invert-stacktrace" or "category"))
            {
                if (token.Contains('=') && !token.Contains(':'))
                {
                    throw reader.Error($"Unknown variable '{variable}' (expected max-frames, min-frames, invert-stacktrace or category)");
                }

                return false;
            }

            reader.Position += nameEnd;
            reader.SkipSpaces();
            if (!reader.LooksAt('='))
            {
                reader.Position = start;
                return false;
            }

            reader.Position++;
            reader.SkipSpaces();
            var valueStart = reader.Position;
            var value = reader.ReadQuotedOrBare();
            if (value.Length == 0)
            {
                throw reader.ErrorAt(valueStart, $"Missing value for '{variable}'");
            }

            switch (variable)
            {
                case "category":
                    action = new EnhancementAction(EnhancementActionKind.Category, true, EnhancementRange.Self, value, 0);
                    return true;
                case "invert-stacktrace":
                    bool? flag = value.ToLowerInvariant() switch
                    {
                        "1" or "yes" or "true" => true,
                        "0" or "no" or "false" => false,
                        _ => null,
                    };
                    if (flag is null)
                    {
                        throw reader.ErrorAt(valueStart, $"Invalid value '{value}' for invert-stacktrace (expected a boolean)");
                    }

                    action = new EnhancementAction(EnhancementActionKind.InvertStacktrace, flag.Value, EnhancementRange.Self, null, 0);
                    return true;
                default:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    {
                        throw reader.ErrorAt(valueStart, $"Invalid value '{value}' for {variable} (expected a non-negative integer)");
                    }

                    action = new EnhancementAction(
                        variable == "max-frames" ? EnhancementActionKind.MaxFrames : EnhancementActionKind.MinFrames,
                        true,
                        EnhancementRange.Self,
                        null,
                        number);
                    return true;
            }
        }
    }
}
