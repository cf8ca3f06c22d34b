using System.Text;

namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>
/// Parser for server-side fingerprint rules (one per line, <c>#</c> comments):
/// <code>
/// rule     := matcher+ "->" fp_value ("," fp_value)*
/// matcher  := ["!"] key ":" ( "quoted" | bare )
/// fp_value := bare | "quoted" | {{ variable }} | title="quoted"
/// </code>
/// </summary>
internal static class FingerprintParser
{
    public static List<FingerprintRule> Parse(string text, bool isBuiltIn)
    {
        var rules = new List<FingerprintRule>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var rule = new LineParser(lines[i].TrimEnd('\r'), i + 1, isBuiltIn).ParseRule();
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
        private readonly bool _isBuiltIn;
        private int _pos;

        public LineParser(string line, int lineNumber, bool isBuiltIn)
        {
            _line = line;
            _lineNumber = lineNumber;
            _isBuiltIn = isBuiltIn;
        }

        private bool AtEnd => _pos >= _line.Length;

        private char Peek => _line[_pos];

        public FingerprintRule? ParseRule()
        {
            SkipSpaces();
            if (AtEnd || Peek == '#')
            {
                return null;
            }

            var matchers = new List<FingerprintMatcher>();
            while (true)
            {
                SkipSpaces();
                if (AtEnd)
                {
                    throw Error(matchers.Count == 0 ? "Expected a matcher" : "Expected '->' followed by a fingerprint");
                }

                if (_line.AsSpan(_pos).StartsWith("->"))
                {
                    _pos += 2;
                    break;
                }

                matchers.Add(ParseMatcher());
            }

            if (matchers.Count == 0)
            {
                throw Error("Rule has no matchers before '->'");
            }

            var fingerprint = new List<string>();
            string? title = null;
            while (true)
            {
                SkipSpaces();
                if (AtEnd)
                {
                    break;
                }

                if (Peek == '#' && fingerprint.Count > 0)
                {
                    break;
                }

                var start = _pos;
                if (Peek == '"')
                {
                    fingerprint.Add(NormalizeDefault(ReadQuoted()));
                }
                else if (_line.AsSpan(_pos).StartsWith("{{"))
                {
                    var end = _line.IndexOf("}}", _pos, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw Error("Unterminated '{{' variable");
                    }

                    fingerprint.Add(NormalizeDefault(_line[_pos..(end + 2)]));
                    _pos = end + 2;
                }
                else
                {
                    while (!AtEnd && !char.IsWhiteSpace(Peek) && Peek != ',' && Peek != '{' && Peek != '=')
                    {
                        _pos++;
                    }

                    var word = _line[start.._pos];
                    if (!AtEnd && Peek == '=')
                    {
                        _pos++;
                        if (word != "title")
                        {
                            _pos = start;
                            throw Error($"Unknown attribute '{word}'");
                        }

                        if (AtEnd || Peek != '"')
                        {
                            throw Error("Expected a quoted value after 'title='");
                        }

                        title = ReadQuoted();
                    }
                    else if (word.Length == 0)
                    {
                        throw Error($"Unexpected character '{Peek}' in fingerprint");
                    }
                    else
                    {
                        fingerprint.Add(word);
                    }
                }

                SkipSpaces();
                if (!AtEnd && Peek == ',')
                {
                    _pos++;
                }
            }

            if (fingerprint.Count == 0)
            {
                throw Error("Rule has an empty fingerprint after '->'");
            }

            return new FingerprintRule(matchers, fingerprint, title, _isBuiltIn);
        }

        private static string NormalizeDefault(string value) =>
            FingerprintVariables.IsDefault(value) ? FingerprintVariables.DefaultMarker : value;

        private void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(Peek))
            {
                _pos++;
            }
        }

        private FingerprintParseException Error(string reason) => new(_lineNumber, _pos + 1, reason, _line.Trim());

        private FingerprintMatcher ParseMatcher()
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
                key = ReadQuoted().TrimStart('!');
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

            if (key.Length == 0 || AtEnd || Peek != ':')
            {
                _pos = start;
                throw Error(key.Length == 0 ? "Expected a matcher (key:pattern)" : $"Expected ':' after matcher key '{key}'");
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
                while (!AtEnd && !char.IsWhiteSpace(Peek))
                {
                    _pos++;
                }

                pattern = _line[patternStart.._pos];
            }

            if (pattern.Length == 0)
            {
                throw Error($"Missing pattern for matcher '{key}'");
            }

            var matcher = FingerprintMatcher.TryCreate(key, pattern, negated, out var error);
            if (matcher is null)
            {
                _pos = start;
                throw Error(error!);
            }

            return matcher;
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
                    switch (next)
                    {
                        case '\\': builder.Append('\\'); break;
                        case '"': builder.Append('"'); break;
                        case 'n': builder.Append('\n'); break;
                        case 't': builder.Append('\t'); break;
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
    }
}
