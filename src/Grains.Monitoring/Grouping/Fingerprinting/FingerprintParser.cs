using Grains.Monitoring.Grouping.RuleSyntax;

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
        foreach (var (number, line) in RuleLines.Split(text))
        {
            var reader = new RuleLineReader(line, number, static (l, c, reason, rule) => new FingerprintParseException(l, c, reason, rule));
            var rule = new LineParser(reader, isBuiltIn).ParseRule();
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private sealed class LineParser(RuleLineReader reader, bool isBuiltIn)
    {
        public FingerprintRule? ParseRule()
        {
            reader.SkipSpaces();
            if (reader.AtEndOrComment)
            {
                return null;
            }

            var matchers = new List<FingerprintMatcher>();
            while (true)
            {
                reader.SkipSpaces();
                if (reader.AtEnd)
                {
                    throw reader.Error(matchers.Count == 0 ? "Expected a matcher" : "Expected '->' followed by a fingerprint");
                }

                if (reader.LooksAt("->"))
                {
                    reader.Position += 2;
                    break;
                }

                matchers.Add(ParseMatcher());
            }

            if (matchers.Count == 0)
            {
                throw reader.Error("Rule has no matchers before '->'");
            }

            var fingerprint = new List<string>();
            string? title = null;
            while (true)
            {
                reader.SkipSpaces();
                if (reader.AtEnd)
                {
                    break;
                }

                if (reader.LooksAt('#') && fingerprint.Count > 0)
                {
                    break;
                }

                var start = reader.Position;
                if (reader.LooksAt('"'))
                {
                    fingerprint.Add(NormalizeDefault(reader.ReadQuoted()));
                }
                else if (reader.LooksAt("{{"))
                {
                    var end = reader.Line.IndexOf("}}", start, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        throw reader.Error("Unterminated '{{' variable");
                    }

                    fingerprint.Add(NormalizeDefault(reader.Line[start..(end + 2)]));
                    reader.Position = end + 2;
                }
                else
                {
                    var word = reader.ReadBare(static c => c is ',' or '{' or '=');
                    if (reader.LooksAt('='))
                    {
                        reader.Position++;
                        if (word != "title")
                        {
                            throw reader.ErrorAt(start, $"Unknown attribute '{word}'");
                        }

                        if (!reader.LooksAt('"'))
                        {
                            throw reader.Error("Expected a quoted value after 'title='");
                        }

                        title = reader.ReadQuoted();
                    }
                    else if (word.Length == 0)
                    {
                        throw reader.Error($"Unexpected character '{reader.Peek}' in fingerprint");
                    }
                    else
                    {
                        fingerprint.Add(word);
                    }
                }

                reader.SkipSpaces();
                if (reader.LooksAt(','))
                {
                    reader.Position++;
                }
            }

            if (fingerprint.Count == 0)
            {
                throw reader.Error("Rule has an empty fingerprint after '->'");
            }

            return new FingerprintRule(matchers, fingerprint, title, isBuiltIn);
        }

        private static string NormalizeDefault(string value) =>
            FingerprintVariables.IsDefault(value) ? FingerprintVariables.DefaultMarker : value;

        private FingerprintMatcher ParseMatcher()
        {
            var start = reader.Position;
            var negated = false;
            if (reader.LooksAt('!'))
            {
                negated = true;
                reader.Position++;
            }

            var key = reader.LooksAt('"') ? reader.ReadQuoted().TrimStart('!') : reader.ReadKey();
            if (key.Length == 0 || !reader.LooksAt(':'))
            {
                throw reader.ErrorAt(start, key.Length == 0 ? "Expected a matcher (key:pattern)" : $"Expected ':' after matcher key '{key}'");
            }

            reader.Position++;
            var pattern = reader.ReadQuotedOrBare();
            if (pattern.Length == 0)
            {
                throw reader.Error($"Missing pattern for matcher '{key}'");
            }

            return FingerprintMatcher.TryCreate(key, pattern, negated, out var error)
                ?? throw reader.ErrorAt(start, error!);
        }
    }
}
