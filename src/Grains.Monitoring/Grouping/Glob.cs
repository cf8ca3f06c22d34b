using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// Sentry's glob matching (<c>sentry.utils.glob</c>): <c>*</c>, <c>?</c>, <c>[...]</c> and backslash escapes;
/// in path mode <c>*</c> stops at <c>/</c> while <c>**</c> crosses it, and backslashes in the value
/// are normalised to slashes. Compiled regexes are cached per (pattern, mode) because rule sets are
/// small and shared across all events.
/// </summary>
internal static class Glob
{
    private static readonly ConcurrentDictionary<(string Pattern, bool DoubleStar), Regex> Cache = new();

    internal static bool IsMatch(string value, string pattern, bool ignoreCase = false, bool doubleStar = false, bool pathNormalize = false)
    {
        if (ignoreCase)
        {
            value = value.ToLowerInvariant();
            pattern = pattern.ToLowerInvariant();
        }

        if (pathNormalize)
        {
            value = value.Replace('\\', '/');
            pattern = pattern.Replace('\\', '/');
        }

        var regex = Cache.GetOrAdd((pattern, doubleStar), static key => Compile(key.Pattern, key.DoubleStar));
        return regex.IsMatch(value);
    }

    /// <summary>Path matching as used by <c>path</c>/<c>package</c> matchers: also tolerates a missing leading slash.</summary>
    internal static bool IsPathMatch(string? value, string pattern)
    {
        if (value is null)
        {
            return false;
        }

        if (IsMatch(value, pattern, ignoreCase: true, doubleStar: true, pathNormalize: true))
        {
            return true;
        }

        return !value.StartsWith('/') && IsMatch("/" + value, pattern, ignoreCase: true, doubleStar: true, pathNormalize: true);
    }

    private static Regex Compile(string pattern, bool doubleStar)
    {
        var builder = new StringBuilder("^(?:");
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i++];
            if (c == '\\' && i < pattern.Length)
            {
                builder.Append(Regex.Escape(pattern[i].ToString()));
                i++;
            }
            else if (c == '*')
            {
                if (doubleStar && i < pattern.Length && pattern[i] == '*')
                {
                    builder.Append(".*");
                    i++;
                }
                else
                {
                    builder.Append(doubleStar ? "[^/]*" : ".*");
                }
            }
            else if (c == '?')
            {
                builder.Append(doubleStar ? "[^/]" : ".");
            }
            else if (c == '[')
            {
                var j = i;
                if (j < pattern.Length && pattern[j] == '!')
                {
                    j++;
                }

                if (j < pattern.Length && pattern[j] == ']')
                {
                    j++;
                }

                while (j < pattern.Length && pattern[j] != ']')
                {
                    j++;
                }

                if (j >= pattern.Length)
                {
                    builder.Append("\\[");
                }
                else
                {
                    var body = pattern[i..j].Replace("\\", "\\\\", StringComparison.Ordinal);
                    i = j + 1;
                    if (body.StartsWith('!'))
                    {
                        body = "^" + body[1..];
                    }
                    else if (body.StartsWith('^'))
                    {
                        body = "\\" + body;
                    }

                    builder.Append('[').Append(body.Replace("[", "\\[", StringComparison.Ordinal)).Append(']');
                }
            }
            else
            {
                builder.Append(Regex.Escape(c.ToString()));
            }
        }

        builder.Append(")\\z");
        return new Regex(builder.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
