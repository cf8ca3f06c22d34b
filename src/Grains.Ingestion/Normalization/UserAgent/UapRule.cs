using System.Text;
using System.Text.RegularExpressions;

namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>
/// One compiled rule of uap-core's <c>regexes.yaml</c>: its regex (unanchored, case-sensitive unless
/// <c>regex_flag: 'i'</c>) and its replacement templates, in which <c>$1</c>…<c>$9</c> stand for the
/// regex's groups (an unmatched group is empty), as the uap-core specification describes.
/// </summary>
internal sealed class UapRule
{
    private readonly IReadOnlyDictionary<string, string> _replacements;

    private UapRule(Regex regex, IReadOnlyDictionary<string, string> replacements)
    {
        Regex = regex;
        _replacements = replacements;
    }

    public Regex Regex { get; }

    /// <summary>Compiles a rule read from the file.</summary>
    /// <exception cref="FormatException">The rule has no <c>regex</c>, an unknown flag, or a regex .NET cannot compile.</exception>
    public static UapRule Create(IReadOnlyDictionary<string, string> rule, TimeSpan matchTimeout)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!rule.TryGetValue("regex", out var pattern))
        {
            throw new FormatException("A uap-core rule without a regex.");
        }

        var options = RegexOptions.CultureInvariant;
        if (rule.TryGetValue("regex_flag", out var flag))
        {
            options |= flag == "i" ? RegexOptions.IgnoreCase : throw new FormatException($"Unknown regex_flag '{flag}' on '{pattern}'.");
        }

        try
        {
            return new UapRule(new Regex(pattern, options, matchTimeout), rule);
        }
        catch (ArgumentException exception)
        {
            throw new FormatException($"The uap-core regex '{pattern}' does not compile: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The value of a field: its replacement template filled from <paramref name="match"/> when the
    /// rule has one, else group <paramref name="defaultGroup"/> (0 for none); trimmed, null when empty.
    /// </summary>
    public string? Value(Match match, string replacementKey, int defaultGroup)
    {
        ArgumentNullException.ThrowIfNull(match);
        string? value;
        if (_replacements.TryGetValue(replacementKey, out var template))
        {
            value = Fill(template, match);
        }
        else
        {
            value = defaultGroup > 0 && defaultGroup < match.Groups.Count && match.Groups[defaultGroup].Success ? match.Groups[defaultGroup].Value : null;
        }

        value = value?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string Fill(string template, Match match)
    {
        if (!template.Contains('$', StringComparison.Ordinal))
        {
            return template;
        }

        var builder = new StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '$' && i + 1 < template.Length && template[i + 1] is >= '1' and <= '9')
            {
                var group = template[i + 1] - '0';
                if (group < match.Groups.Count && match.Groups[group].Success)
                {
                    builder.Append(match.Groups[group].Value);
                }

                i++;
            }
            else
            {
                builder.Append(template[i]);
            }
        }

        return builder.ToString();
    }
}
