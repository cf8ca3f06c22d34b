using System.Text;
using System.Text.RegularExpressions;

namespace Grains.Monitoring.Grouping.Parameterization;

/// <summary>
/// Replaces event-specific values (ids, numbers, dates, addresses …) in a message with placeholders
/// such as <c>&lt;int&gt;</c>, using one combined regex applied left to right in a single pass.
/// Instances are immutable and thread-safe; build once and share.
/// </summary>
public sealed class Parameterizer
{
    /// <summary>Per-call budget. Pathological input then falls back to the unparameterized text instead of stalling ingest.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly Regex _regex;
    private readonly int[] _groupNumbers;
    private readonly string[] _replacements;

    /// <summary>Builds a parameterizer over the given patterns (default: the full reference table).</summary>
    public Parameterizer(IReadOnlyList<ParameterizationPattern>? patterns = null)
    {
        patterns ??= ParameterizationPatterns.Default;
        var builder = new StringBuilder();
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            if (i > 0)
            {
                builder.Append('|');
            }

            if (pattern.Lookbehind is not null)
            {
                builder.Append("(?<=").Append(pattern.Lookbehind).Append(')');
            }

            // Newline before the closing paren so a trailing `# comment` in the body cannot swallow it.
            builder.Append("(?<").Append(pattern.Name).Append('>').Append(pattern.Pattern).Append("\n)");
        }

        // ExplicitCapture: only the named groups capture, so finding the winning alternative is a
        // short scan over a dozen group numbers rather than every nested group.
        _regex = new Regex(
            builder.ToString(),
            RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant | RegexOptions.Compiled,
            MatchTimeout);
        _groupNumbers = new int[patterns.Count];
        _replacements = new string[patterns.Count];
        for (var i = 0; i < patterns.Count; i++)
        {
            _groupNumbers[i] = _regex.GroupNumberFromName(patterns[i].Name);
            _replacements[i] = "<" + patterns[i].Name + ">";
        }
    }

    /// <summary>Shared instance over the default table.</summary>
    public static Parameterizer Default { get; } = new();

    /// <summary>Returns the text with every recognised value replaced by its placeholder.</summary>
    public string Parameterize(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        try
        {
            return _regex.Replace(input, Evaluate);
        }
        catch (RegexMatchTimeoutException)
        {
            // Deterministic fallback: the raw text still groups identical messages together.
            return input;
        }
    }

    private string Evaluate(Match match)
    {
        for (var i = 0; i < _groupNumbers.Length; i++)
        {
            if (match.Groups[_groupNumbers[i]].Success)
            {
                return _replacements[i];
            }
        }

        return match.Value;
    }
}
