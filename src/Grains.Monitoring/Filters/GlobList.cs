using System.Text;
using System.Text.RegularExpressions;

namespace Grains.Monitoring.Filters;

/// <summary>
/// A list of glob patterns compiled once into one regular expression, matched as Relay's
/// <c>GlobPatterns</c> do: the whole string, case-insensitively; <c>*</c> matches any run of characters
/// (newlines too), <c>?</c> one character, <c>[a-z]</c> / <c>[!a-z]</c> a class, <c>{a,b}</c> an
/// alternative, and <c>\</c> escapes the next character. An empty string never matches.
/// </summary>
/// <remarks>
/// Patterns come from project settings, so the expression runs on the non-backtracking engine: a
/// pattern cannot make matching slower than linear in the input.
/// </remarks>
public sealed class GlobList
{
    public static GlobList Empty { get; } = new([]);

    private readonly Regex? _regex;

    public GlobList(IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        Patterns = patterns;
        if (patterns.Count == 0)
        {
            return;
        }

        var expression = new StringBuilder("^(?:");
        for (var i = 0; i < patterns.Count; i++)
        {
            if (i > 0)
            {
                expression.Append('|');
            }

            expression.Append(ToRegex(patterns[i]));
        }

        expression.Append(")$");
        _regex = new Regex(
            expression.ToString(),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }

    public IReadOnlyList<string> Patterns { get; }

    public bool IsEmpty => _regex is null;

    public bool IsMatch(string? value) => _regex is not null && !string.IsNullOrEmpty(value) && _regex.IsMatch(value);

    /// <summary>Why <paramref name="pattern"/> is not a valid glob, or null.</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            _ = new Regex($"^(?:{ToRegex(pattern)})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
            return null;
        }
        catch (FormatException exception)
        {
            return exception.Message;
        }
        catch (ArgumentException)
        {
            // A class the regex engine refuses, such as a reversed range [z-a].
            return $"'{pattern}' is not a valid glob.";
        }
    }

    /// <summary>One glob as a regular expression fragment (no anchors).</summary>
    /// <exception cref="FormatException">An unclosed class or alternative, or a trailing backslash.</exception>
    public static string ToRegex(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = new StringBuilder(pattern.Length + 8);
        var alternatives = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '\\':
                    if (++i == pattern.Length)
                    {
                        throw new FormatException($"'{pattern}' ends with an unescaped backslash.");
                    }

                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    i = AppendClass(pattern, i, regex);
                    break;
                case '{':
                    alternatives++;
                    regex.Append("(?:");
                    break;
                case '}' when alternatives > 0:
                    alternatives--;
                    regex.Append(')');
                    break;
                case ',' when alternatives > 0:
                    regex.Append('|');
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        if (alternatives > 0)
        {
            throw new FormatException($"'{pattern}' has an unclosed '{{'.");
        }

        return regex.ToString();
    }

    // [abc], [a-z], [!a-z] or [^a-z]; a ']' right after the opening (or the negation) is literal.
    private static int AppendClass(string pattern, int start, StringBuilder regex)
    {
        var i = start + 1;
        var negated = i < pattern.Length && pattern[i] is '!' or '^';
        if (negated)
        {
            i++;
        }

        var body = new StringBuilder();
        var first = true;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == ']' && !first)
            {
                regex.Append(negated ? "[^" : "[").Append(body).Append(']');
                return i;
            }

            first = false;
            if (c == '-' && body.Length > 0 && i + 1 < pattern.Length && pattern[i + 1] != ']')
            {
                body.Append('-');
                continue;
            }

            body.Append(c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString());
        }

        throw new FormatException($"'{pattern}' has an unclosed '['.");
    }
}
