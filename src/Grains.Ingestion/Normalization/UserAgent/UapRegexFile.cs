namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>
/// Reads uap-core's <c>regexes.yaml</c>: three top-level lists (<c>user_agent_parsers</c>,
/// <c>os_parsers</c>, <c>device_parsers</c>) of flat mappings whose values are single-quoted
/// strings. That is the whole of the file's structure, so this reader accepts exactly that subset of
/// YAML (comments, blank lines, <c>- key: 'value'</c> and <c>key: 'value'</c> lines, <c>''</c> as an
/// escaped quote) and rejects anything else with its line number, rather than misreading a rule.
/// </summary>
internal static class UapRegexFile
{
    /// <summary>The rule lists by section name, each rule a map from key to value, in file order.</summary>
    /// <exception cref="FormatException">A line outside the supported subset.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sections = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>(StringComparer.Ordinal);
        List<IReadOnlyDictionary<string, string>>? rules = null;
        Dictionary<string, string>? rule = null;
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.TrimEnd();
            var trimmed = text.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (text[0] != ' ')
            {
                // A section: `name:` at column 0.
                if (!text.EndsWith(':') || text.Length < 2 || text.AsSpan(0, text.Length - 1).ContainsAny(" '\"#"))
                {
                    throw Error(number, "expected a section name followed by ':'");
                }

                rules = [];
                rule = null;
                if (!sections.TryAdd(text[..^1], rules))
                {
                    throw Error(number, $"section '{text[..^1]}' appears twice");
                }

                continue;
            }

            if (rules is null)
            {
                throw Error(number, "a rule before any section");
            }

            if (trimmed.StartsWith("- ", StringComparison.Ordinal))
            {
                rule = new Dictionary<string, string>(StringComparer.Ordinal);
                rules.Add(rule);
                trimmed = trimmed[2..].TrimStart();
            }
            else if (rule is null)
            {
                throw Error(number, "a key before the first '- ' of its section");
            }

            var (key, value) = KeyValue(trimmed, number);
            if (!rule.TryAdd(key, value))
            {
                throw Error(number, $"key '{key}' appears twice in one rule");
            }
        }

        return sections;
    }

    private static (string Key, string Value) KeyValue(string text, int number)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 || text.AsSpan(0, colon).ContainsAny(" '\""))
        {
            throw Error(number, "expected `key: 'value'`");
        }

        var rest = text[(colon + 2)..].Trim();
        if (rest.Length < 2 || rest[0] != '\'' || rest[^1] != '\'')
        {
            throw Error(number, "expected a single-quoted value");
        }

        var inner = rest[1..^1];

        // Inside single quotes YAML's only escape is '' for one quote; a lone quote would end the string early.
        if (inner.Replace("''", "", StringComparison.Ordinal).Contains('\'', StringComparison.Ordinal))
        {
            throw Error(number, "a single quote inside the value that is not doubled");
        }

        return (text[..colon], inner.Replace("''", "'", StringComparison.Ordinal));
    }

    private static FormatException Error(int line, string reason) => new($"regexes.yaml line {line}: {reason}.");
}
