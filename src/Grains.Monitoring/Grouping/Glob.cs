using System.Collections.Concurrent;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// Sentry's glob matching (<c>sentry.utils.glob</c>): <c>*</c>, <c>?</c>, <c>[...]</c> and backslash escapes;
/// in path mode <c>*</c> and <c>?</c> stop at <c>/</c> while <c>**</c> crosses it. Patterns are compiled
/// once into tokens and matched without regexes or allocations, because stack-trace rules run for every
/// frame of every event.
/// </summary>
internal sealed class Glob
{
    private static readonly ConcurrentDictionary<(string Pattern, bool IgnoreCase, bool Path), Glob> Cache = new();

    private readonly Token[] _tokens;
    private readonly bool _ignoreCase;
    private readonly bool _path;

    /// <summary>Longest ASCII literal run the value must contain: a cheap IndexOf rejects most frames before matching.</summary>
    private readonly string? _requiredLiteral;

    private Glob(string pattern, bool ignoreCase, bool path)
    {
        _ignoreCase = ignoreCase;
        _path = path;
        if (path)
        {
            pattern = pattern.Replace('\\', '/');
        }

        _tokens = Tokenize(ignoreCase ? pattern.ToLowerInvariant() : pattern, path);
        _requiredLiteral = LongestLiteral(_tokens);
        if (path && _requiredLiteral is not null && _requiredLiteral.StartsWith('/'))
        {
            // The leading slash may come from the "missing leading slash" retry, so don't require it.
            _requiredLiteral = _requiredLiteral.Length > 2 ? _requiredLiteral[1..] : null;
        }
    }

    private static string? LongestLiteral(Token[] tokens)
    {
        string? best = null;
        var run = new System.Text.StringBuilder();
        foreach (var token in tokens.Append(Token.Of(TokenKind.Star)))
        {
            if (token.Kind == TokenKind.Literal && char.IsAscii(token.Char))
            {
                run.Append(token.Char);
                continue;
            }

            if (run.Length >= 2 && (best is null || run.Length > best.Length))
            {
                best = run.ToString();
            }

            run.Clear();
        }

        return best;
    }

    private bool CannotMatch(string value) =>
        _requiredLiteral is not null
        && !(_path && value.Contains('\\'))
        && value.IndexOf(_requiredLiteral, _ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal) < 0;

    /// <summary>Compiles (or fetches) a glob. <paramref name="path"/> enables <c>**</c>, slash-aware stars and backslash normalisation.</summary>
    public static Glob Compile(string pattern, bool ignoreCase = false, bool path = false) =>
        Cache.GetOrAdd((pattern, ignoreCase, path), static key => new Glob(key.Pattern, key.IgnoreCase, key.Path));

    /// <summary>Convenience wrapper for one-off matches.</summary>
    internal static bool IsMatch(string value, string pattern, bool ignoreCase = false) => Compile(pattern, ignoreCase).IsMatch(value);

    /// <summary>Path matching as used by <c>path</c>/<c>package</c> matchers: also tolerates a missing leading slash.</summary>
    internal static bool IsPathMatch(string? value, string pattern) => value is not null && Compile(pattern, ignoreCase: true, path: true).IsPathMatch(value);

    /// <summary>Matches the whole value.</summary>
    public bool IsMatch(string value) => !CannotMatch(value) && Match(value.AsSpan(), 0, 0, prefixSlash: false);

    /// <summary>Path mode match on the value, retried with a leading <c>/</c> when the value has none.</summary>
    public bool IsPathMatch(string value) =>
        !CannotMatch(value)
        && (Match(value.AsSpan(), 0, 0, prefixSlash: false) || (!value.StartsWith('/') && Match(value.AsSpan(), 0, 0, prefixSlash: true)));

    private bool Match(ReadOnlySpan<char> value, int tokenIndex, int position, bool prefixSlash)
    {
        var length = value.Length + (prefixSlash ? 1 : 0);
        while (tokenIndex < _tokens.Length)
        {
            var token = _tokens[tokenIndex];
            switch (token.Kind)
            {
                case TokenKind.Literal:
                    if (position >= length || !Equal(CharAt(value, position, prefixSlash), token.Char))
                    {
                        return false;
                    }

                    position++;
                    tokenIndex++;
                    break;
                case TokenKind.Any:
                    if (position >= length || (_path && CharAt(value, position, prefixSlash) == '/'))
                    {
                        return false;
                    }

                    position++;
                    tokenIndex++;
                    break;
                case TokenKind.Class:
                    if (position >= length || !token.ClassMatches(Normalize(CharAt(value, position, prefixSlash))))
                    {
                        return false;
                    }

                    position++;
                    tokenIndex++;
                    break;
                default:
                    // Star: a trailing star matches the rest at once; otherwise try every split point.
                    var crossesSlash = token.Kind == TokenKind.DoubleStar || !_path;
                    if (tokenIndex == _tokens.Length - 1)
                    {
                        if (crossesSlash)
                        {
                            return true;
                        }

                        for (var i = position; i < length; i++)
                        {
                            if (CharAt(value, i, prefixSlash) == '/')
                            {
                                return false;
                            }
                        }

                        return true;
                    }

                    for (var end = position; end <= length; end++)
                    {
                        if (Match(value, tokenIndex + 1, end, prefixSlash))
                        {
                            return true;
                        }

                        if (end < length && !crossesSlash && CharAt(value, end, prefixSlash) == '/')
                        {
                            return false;
                        }
                    }

                    return false;
            }
        }

        return position == length;
    }

    private char CharAt(ReadOnlySpan<char> value, int position, bool prefixSlash)
    {
        if (prefixSlash)
        {
            if (position == 0)
            {
                return '/';
            }

            position--;
        }

        var c = value[position];
        return _path && c == '\\' ? '/' : c;
    }

    private char Normalize(char c) => _ignoreCase ? char.ToLowerInvariant(c) : c;

    private bool Equal(char actual, char expected) => Normalize(actual) == expected;

    private static Token[] Tokenize(string pattern, bool path)
    {
        var tokens = new List<Token>(pattern.Length);
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i++];
            if (c == '\\' && i < pattern.Length)
            {
                tokens.Add(Token.Literal(pattern[i++]));
            }
            else if (c == '*')
            {
                var isDouble = path && i < pattern.Length && pattern[i] == '*';
                if (isDouble)
                {
                    i++;
                }

                // Consecutive stars collapse; keep the strongest.
                if (tokens.Count > 0 && tokens[^1].Kind is TokenKind.Star or TokenKind.DoubleStar)
                {
                    if (isDouble)
                    {
                        tokens[^1] = Token.Of(TokenKind.DoubleStar);
                    }
                }
                else
                {
                    tokens.Add(Token.Of(isDouble ? TokenKind.DoubleStar : TokenKind.Star));
                }
            }
            else if (c == '?')
            {
                tokens.Add(Token.Of(TokenKind.Any));
            }
            else if (c == '[' && TryReadClass(pattern, ref i, out var token))
            {
                tokens.Add(token);
            }
            else
            {
                tokens.Add(Token.Literal(c));
            }
        }

        return tokens.ToArray();
    }

    /// <summary>fnmatch-style class: optional <c>!</c>, a leading <c>]</c> is literal, ranges with <c>-</c>.</summary>
    private static bool TryReadClass(string pattern, ref int i, out Token token)
    {
        var j = i;
        var negated = false;
        if (j < pattern.Length && pattern[j] == '!')
        {
            negated = true;
            j++;
        }

        var start = j;
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
            token = default;
            return false;
        }

        var ranges = new List<(char From, char To)>();
        var body = pattern.AsSpan(start, j - start);
        for (var k = 0; k < body.Length; k++)
        {
            if (k + 2 < body.Length && body[k + 1] == '-')
            {
                ranges.Add((body[k], body[k + 2]));
                k += 2;
            }
            else
            {
                ranges.Add((body[k], body[k]));
            }
        }

        i = j + 1;
        token = Token.Class(ranges.ToArray(), negated);
        return true;
    }

    private enum TokenKind
    {
        Literal,
        Any,
        Class,
        Star,
        DoubleStar,
    }

    private readonly record struct Token(TokenKind Kind, char Char, (char From, char To)[]? Ranges, bool Negated)
    {
        public static Token Literal(char c) => new(TokenKind.Literal, c, null, false);

        public static Token Of(TokenKind kind) => new(kind, '\0', null, false);

        public static Token Class((char From, char To)[] ranges, bool negated) => new(TokenKind.Class, '\0', ranges, negated);

        public bool ClassMatches(char c)
        {
            var inClass = false;
            foreach (var (from, to) in Ranges!)
            {
                if (c >= from && c <= to)
                {
                    inClass = true;
                    break;
                }
            }

            return inClass != Negated;
        }
    }
}
