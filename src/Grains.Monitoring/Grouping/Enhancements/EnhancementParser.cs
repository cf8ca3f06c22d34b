using System.Globalization;
using System.Text;

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
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var rule = new LineParser(line, i + 1).ParseRule();
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private sealed class LineParser
    {
        private readonly string _line;
        private readonly int _lineNumber;
        private int _pos;

        public LineParser(string line, int lineNumber)
        {
            _line = line;
            _lineNumber = lineNumber;
        }

        public EnhancementRule? ParseRule()
        {
            SkipSpaces();
            if (AtEnd || Peek == '#')
            {
                return null;
            }

            EnhancementMatcher? caller = null;
            if (Peek == '[')
            {
                caller = ParseBracketedMatcher();
                SkipSpaces();
                Expect('|', "Expected '|' after caller matcher");
            }

            var matchers = new List<EnhancementMatcher>();
            EnhancementMatcher? callee = null;
            var actions = new List<EnhancementAction>();
            while (true)
            {
                SkipSpaces();
                if (AtEnd || Peek == '#')
                {
                    break;
                }

                if (Peek == '|')
                {
                    if (matchers.Count == 0 || actions.Count > 0 || callee is not null)
                    {
                        throw Error("Unexpected '|'");
                    }

                    _pos++;
                    SkipSpaces();
                    if (AtEnd || Peek != '[')
                    {
                        throw Error("Expected '[' after '|'");
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
                    throw Error("Expected an action (matchers must come before actions)");
                }

                matchers.Add(ParseMatcher());
            }

            if (matchers.Count == 0)
            {
                throw Error("Rule has no frame matchers");
            }

            if (actions.Count == 0)
            {
                throw Error("Rule has no actions");
            }

            return new EnhancementRule(caller, matchers, callee, actions);
        }

        private bool AtEnd => _pos >= _line.Length;

        private char Peek => _line[_pos];

        private void SkipSpaces()
        {
            while (!AtEnd && (Peek == ' ' || Peek == '\t'))
            {
                _pos++;
            }
        }

        private void Expect(char c, string reason)
        {
            if (AtEnd || Peek != c)
            {
                throw Error(reason);
            }

            _pos++;
        }

        private EnhancementParseException Error(string reason) => new(_lineNumber, _pos + 1, reason, _line.Trim());

        private EnhancementMatcher ParseBracketedMatcher()
        {
            Expect('[', "Expected '['");
            SkipSpaces();
            var matcher = ParseMatcher(insideBrackets: true);
            SkipSpaces();
            Expect(']', "Expected ']' to close the caller/callee matcher");
            return matcher;
        }

        private EnhancementMatcher ParseMatcher(bool insideBrackets = false)
        {
            var start = _pos;
            var negated = false;
            if (Peek == '!')
            {
                negated = true;
                _pos++;
            }

            string key;
            if (!AtEnd && Peek == '"')
            {
                key = ReadQuoted();
            }
            else
            {
                var keyStart = _pos;
                while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '.' or '-'))
                {
                    _pos++;
                }

                key = _line[keyStart.._pos];
            }

            if (key.Length == 0)
            {
                throw Error($"Expected a matcher key, found '{Token(start)}'");
            }

            if (AtEnd || Peek != ':')
            {
                _pos = start;
                throw Error($"Expected ':' after matcher key in '{Token(start)}' (or an unknown action)");
            }

            _pos++;
            string pattern;
            if (!AtEnd && Peek == '"')
            {
                pattern = ReadQuoted();
            }
            else
            {
                var patternStart = _pos;
                while (!AtEnd && !char.IsWhiteSpace(Peek) && !(insideBrackets && Peek == ']'))
                {
                    _pos++;
                }

                pattern = _line[patternStart.._pos];
            }

            if (pattern.Length == 0)
            {
                throw Error($"Missing pattern for matcher '{key}'");
            }

            var matcher = EnhancementMatcher.TryCreate(key, pattern, negated, out var error);
            if (matcher is null)
            {
                _pos = start;
                throw Error(error!);
            }

            return matcher;
        }

        private string Token(int start)
        {
            var end = start;
            while (end < _line.Length && !char.IsWhiteSpace(_line[end]))
            {
                end++;
            }

            return _line[start..end];
        }

        private string ReadQuoted()
        {
            var start = _pos;
            _pos++;
            var builder = new StringBuilder();
            while (!AtEnd && Peek != '"')
            {
                if (Peek == '\\' && _pos + 1 < _line.Length)
                {
                    var next = _line[_pos + 1];
                    // Known escapes are decoded; unknown ones (like \[ used by globs) keep the backslash.
                    switch (next)
                    {
                        case '\\': builder.Append('\\'); break;
                        case '"': builder.Append('"'); break;
                        case 'n': builder.Append('\n'); break;
                        case 't': builder.Append('\t'); break;
                        case 'r': builder.Append('\r'); break;
                        default: builder.Append('\\').Append(next); break;
                    }

                    _pos += 2;
                    continue;
                }

                builder.Append(Peek);
                _pos++;
            }

            if (AtEnd)
            {
                _pos = start;
                throw Error("Unterminated quoted string");
            }

            _pos++;
            return builder.ToString();
        }

        private bool TryParseAction(out EnhancementAction action)
        {
            action = null!;
            var start = _pos;
            var token = Token(start);

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
                    _ => throw Error($"Unknown action '{token}' (expected +app, -app, +group or -group)"),
                };
                action = new EnhancementAction(kind, token[i] == '+', range, null, 0);
                _pos += token.Length;
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
                    throw Error($"Unknown variable '{variable}' (expected max-frames, min-frames, invert-stacktrace or category)");
                }

                return false;
            }

            _pos += nameEnd;
            SkipSpaces();
            if (AtEnd || Peek != '=')
            {
                _pos = start;
                return false;
            }

            _pos++;
            SkipSpaces();
            var valueStart = _pos;
            var value = !AtEnd && Peek == '"' ? ReadQuoted() : Token(_pos);
            if (_line.Length > valueStart && _line[valueStart] != '"')
            {
                _pos += value.Length;
            }

            if (value.Length == 0)
            {
                _pos = valueStart;
                throw Error($"Missing value for '{variable}'");
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
                        _pos = valueStart;
                        throw Error($"Invalid value '{value}' for invert-stacktrace (expected a boolean)");
                    }

                    action = new EnhancementAction(EnhancementActionKind.InvertStacktrace, flag.Value, EnhancementRange.Self, null, 0);
                    return true;
                default:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    {
                        _pos = valueStart;
                        throw Error($"Invalid value '{value}' for {variable} (expected a non-negative integer)");
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
