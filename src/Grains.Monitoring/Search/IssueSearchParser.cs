using System.Globalization;

namespace Grains.Monitoring.Search;

/// <summary>
/// Splits a query into terms (whitespace outside quotes and brackets), then types each value by
/// its key. Hand-written rather than regular expressions: queries come from users, so the parser
/// must be linear and name the exact term it rejects.
/// </summary>
internal static class IssueSearchParser
{
    // Long enough for "100 years" in any unit; longer digit runs are typos, not intentions.
    private const int MaxRelativeDigits = 6;
    private static readonly TimeSpan MaxRelative = TimeSpan.FromDays(36_600);

    private static readonly Dictionary<string, string> CanonicalKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        [SearchKeys.Is] = SearchKeys.Is,
        [SearchKeys.Has] = SearchKeys.Has,
        [SearchKeys.Level] = SearchKeys.Level,
        [SearchKeys.Environment] = SearchKeys.Environment,
        [SearchKeys.Release] = SearchKeys.Release,
        [SearchKeys.FirstRelease] = SearchKeys.FirstRelease,
        [SearchKeys.Age] = SearchKeys.Age,
        [SearchKeys.FirstSeen] = SearchKeys.FirstSeen,
        [SearchKeys.LastSeen] = SearchKeys.LastSeen,
        [SearchKeys.TimesSeen] = SearchKeys.TimesSeen,
        [SearchKeys.ErrorType] = SearchKeys.ErrorType,
        [SearchKeys.ErrorValue] = SearchKeys.ErrorValue,
        [SearchKeys.Message] = SearchKeys.Message,
    };

    // Sentry keys that need features Grains does not have: rejected clearly rather than read as tags that never match.
    private static readonly HashSet<string> UnsupportedKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "assigned", "assigned_or_suggested", "bookmarks",
    };

    private static readonly HashSet<string> Statuses = new(SearchKeys.Statuses, StringComparer.Ordinal);

    public static IReadOnlyList<SearchTerm> Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var terms = new List<SearchTerm>();
        var i = 0;
        while (true)
        {
            while (i < query.Length && char.IsWhiteSpace(query[i]))
            {
                i++;
            }

            if (i >= query.Length)
            {
                return terms;
            }

            var raw = NextToken(query, ref i);
            if (raw == "AND")
            {
                continue; // Terms are always combined with AND; the explicit word changes nothing.
            }

            if (terms.Count == IssueSearch.MaxTerms)
            {
                throw new SearchSyntaxException(raw, $"too many terms (at most {IssueSearch.MaxTerms})");
            }

            terms.Add(ParseTerm(raw));
        }
    }

    private static string NextToken(string query, ref int i)
    {
        var start = i;
        var inQuote = false;
        var depth = 0;
        for (; i < query.Length; i++)
        {
            var c = query[i];
            if (inQuote)
            {
                if (c == '\\' && i + 1 < query.Length)
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuote = false;
                }
            }
            else if (c == '"')
            {
                inQuote = true;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (char.IsWhiteSpace(c) && depth <= 0)
            {
                break;
            }
        }

        var raw = query[start..i];
        if (inQuote)
        {
            throw new SearchSyntaxException(raw, "unterminated quote");
        }

        if (depth > 0)
        {
            throw new SearchSyntaxException(raw, "unterminated list (missing ']')");
        }

        return raw;
    }

    private static SearchTerm ParseTerm(string raw)
    {
        if (raw == "OR" || raw == "||")
        {
            throw new SearchSyntaxException(raw, "OR is not supported; terms are combined with AND");
        }

        if (raw[0] == '(' || raw[^1] == ')')
        {
            throw new SearchSyntaxException(raw, "parentheses are not supported");
        }

        var negated = raw[0] == '!';
        var body = negated ? raw.AsSpan(1) : raw.AsSpan();
        var colon = body.IndexOf(':');
        var quote = body.IndexOf('"');
        if (colon < 0 || (quote >= 0 && quote < colon))
        {
            return FreeText(raw);
        }

        if (colon == 0)
        {
            throw new SearchSyntaxException(raw, "missing key before ':'");
        }

        var writtenKey = body[..colon].ToString();
        if (!IsKey(writtenKey))
        {
            throw new SearchSyntaxException(raw, $"'{writtenKey}' is not a valid key (letters, digits, '_', '.', '-', ':', '@')");
        }

        if (UnsupportedKeys.Contains(writtenKey))
        {
            throw new SearchSyntaxException(raw, $"'{writtenKey}' is not supported");
        }

        var key = CanonicalKeys.TryGetValue(writtenKey, out var canonical) ? canonical : writtenKey;
        var rest = body[(colon + 1)..];
        if (rest.IsEmpty)
        {
            throw new SearchSyntaxException(raw, "missing value");
        }

        var op = SearchOperator.Equal;
        if (rest.StartsWith(">=") || rest.StartsWith("<="))
        {
            op = rest[0] == '>' ? SearchOperator.GreaterThanOrEqual : SearchOperator.LessThanOrEqual;
            rest = rest[2..];
        }
        else if (rest[0] is '>' or '<')
        {
            op = rest[0] == '>' ? SearchOperator.GreaterThan : SearchOperator.LessThan;
            rest = rest[1..];
        }

        if (op != SearchOperator.Equal)
        {
            if (rest.IsEmpty)
            {
                throw new SearchSyntaxException(raw, "missing value after the comparator");
            }

            if (negated)
            {
                throw new SearchSyntaxException(raw, "a comparison cannot be negated (use the opposite comparator)");
            }
        }
        else if (negated)
        {
            op = SearchOperator.NotEqual;
        }

        var isList = rest[0] == '[';
        var texts = isList ? SplitList(raw, rest) : [Unquote(raw, rest)];
        if (isList && op is not (SearchOperator.Equal or SearchOperator.NotEqual))
        {
            throw new SearchSyntaxException(raw, "a list cannot take a comparator");
        }

        if (key == SearchKeys.Message)
        {
            if (op != SearchOperator.Equal || isList)
            {
                throw new SearchSyntaxException(raw, "message: takes one value without negation or comparator");
            }

            return new SearchTerm(raw, null, SearchOperator.Equal, [Text(texts[0])]);
        }

        return key switch
        {
            SearchKeys.Is => StatusTerm(raw, key, op, texts),
            SearchKeys.Has => HasTerm(raw, key, op, texts, isList),
            SearchKeys.Age or SearchKeys.FirstSeen or SearchKeys.LastSeen => DateTerm(raw, key, op, texts, isList),
            SearchKeys.TimesSeen => NumberTerm(raw, key, op, texts, isList),
            _ => TextTerm(raw, key, op, texts),
        };
    }

    private static SearchTerm FreeText(string raw)
    {
        if (raw[0] != '"')
        {
            if (raw.Contains('"', StringComparison.Ordinal))
            {
                throw new SearchSyntaxException(raw, "unexpected quote inside a word");
            }

            return new SearchTerm(raw, null, SearchOperator.Equal, [Text(raw)]);
        }

        var text = Unquote(raw, raw);
        if (text.Length == 0)
        {
            throw new SearchSyntaxException(raw, "empty quoted text");
        }

        return new SearchTerm(raw, null, SearchOperator.Equal, [Text(text)]);
    }

    private static SearchTerm StatusTerm(string raw, string key, SearchOperator op, List<string> texts)
    {
        RequireNoComparator(raw, key, op);
        var values = new List<SearchValue>(texts.Count);
        foreach (var text in texts)
        {
            var status = text.ToLowerInvariant();
            if (!Statuses.Contains(status))
            {
                throw new SearchSyntaxException(raw, $"unknown status '{text}' (expected one of {string.Join(", ", SearchKeys.Statuses)})");
            }

            values.Add(Text(status));
        }

        return new SearchTerm(raw, key, op, values);
    }

    private static SearchTerm HasTerm(string raw, string key, SearchOperator op, List<string> texts, bool isList)
    {
        RequireNoComparator(raw, key, op);
        if (isList)
        {
            throw new SearchSyntaxException(raw, "has: takes one key, not a list");
        }

        if (!IsKey(texts[0]))
        {
            throw new SearchSyntaxException(raw, $"'{texts[0]}' is not a valid key for has:");
        }

        return new SearchTerm(raw, key, op, [Text(texts[0])]);
    }

    private static SearchTerm DateTerm(string raw, string key, SearchOperator op, List<string> texts, bool isList)
    {
        if (isList)
        {
            throw new SearchSyntaxException(raw, $"{key}: does not take a list");
        }

        if (op == SearchOperator.NotEqual)
        {
            throw new SearchSyntaxException(raw, $"{key}: cannot be negated (use the opposite comparator or sign)");
        }

        var text = texts[0];
        if (TryParseRelative(raw, text, out var value))
        {
            return new SearchTerm(raw, key, op, [value]);
        }

        if (key == SearchKeys.Age)
        {
            throw new SearchSyntaxException(raw, "expected a relative time such as -24h (within) or +7d (older than)");
        }

        if (TryParseDate(text, out value))
        {
            return new SearchTerm(raw, key, op, [value]);
        }

        throw new SearchSyntaxException(raw, "expected a relative time such as -24h or +7d, or an ISO 8601 date such as 2024-01-31 or 2024-01-31T12:00:00Z");
    }

    private static SearchTerm NumberTerm(string raw, string key, SearchOperator op, List<string> texts, bool isList)
    {
        if (isList)
        {
            throw new SearchSyntaxException(raw, $"{key}: does not take a list");
        }

        var text = texts[0];
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new SearchSyntaxException(raw, $"expected a non-negative integer, got '{text}'");
        }

        return new SearchTerm(raw, key, op, [new SearchValue(SearchValueKind.Number, text, Number: number)]);
    }

    private static SearchTerm TextTerm(string raw, string key, SearchOperator op, List<string> texts)
    {
        RequireNoComparator(raw, key, op);
        var values = new List<SearchValue>(texts.Count);
        foreach (var text in texts)
        {
            values.Add(Text(text));
        }

        return new SearchTerm(raw, key, op, values);
    }

    private static void RequireNoComparator(string raw, string key, SearchOperator op)
    {
        if (op is not (SearchOperator.Equal or SearchOperator.NotEqual))
        {
            throw new SearchSyntaxException(raw, $"{key}: does not take a comparator (only timesSeen, age, firstSeen and lastSeen do)");
        }
    }

    private static bool TryParseRelative(string raw, string text, out SearchValue value)
    {
        value = null!;
        var span = text.AsSpan();
        var signed = span.Length > 0 && span[0] is '-' or '+';
        var digits = signed ? span[1..] : span;
        var count = 0;
        while (count < digits.Length && char.IsAsciiDigit(digits[count]))
        {
            count++;
        }

        // Only digits followed by exactly one unit letter look relative; anything else may be a date.
        if (count == 0 || digits.Length != count + 1 || !char.IsAsciiLetter(digits[count]))
        {
            return false;
        }

        var unit = digits[count] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            'w' => TimeSpan.FromDays(7),
            _ => throw new SearchSyntaxException(raw, $"unknown time unit '{digits[count]}' (use s, m, h, d or w)"),
        };

        if (!signed)
        {
            throw new SearchSyntaxException(raw, $"a relative time needs a sign: -{text} (within) or +{text} (longer ago than)");
        }

        if (count > MaxRelativeDigits || unit * long.Parse(digits[..count], CultureInfo.InvariantCulture) > MaxRelative)
        {
            throw new SearchSyntaxException(raw, "relative time out of range (at most 100 years)");
        }

        var offset = unit * long.Parse(digits[..count], CultureInfo.InvariantCulture);
        value = new SearchValue(SearchValueKind.Relative, text, Offset: offset, Within: span[0] == '-');
        return true;
    }

    private static bool TryParseDate(string text, out SearchValue value)
    {
        value = null!;
        // A date starts yyyy-MM-dd; requiring it stops the lenient .NET parser from reading "5" or "May" as dates.
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]) || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        var dateOnly = text.Length == 10;
        var parsed = dateOnly
            ? DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
        if (!parsed || (!dateOnly && text[10] != 'T' && text[10] != 't'))
        {
            return false;
        }

        value = new SearchValue(SearchValueKind.Date, text, Date: date, DateOnly: dateOnly);
        return true;
    }

    private static List<string> SplitList(string raw, ReadOnlySpan<char> list)
    {
        if (list[^1] != ']')
        {
            throw new SearchSyntaxException(raw, "unexpected text after the list");
        }

        var items = new List<string>();
        var inner = list[1..^1];
        var start = 0;
        var inQuote = false;
        for (var i = 0; i <= inner.Length; i++)
        {
            if (i < inner.Length)
            {
                var c = inner[i];
                if (inQuote)
                {
                    if (c == '\\' && i + 1 < inner.Length)
                    {
                        i++;
                    }
                    else if (c == '"')
                    {
                        inQuote = false;
                    }

                    continue;
                }

                if (c == '"')
                {
                    inQuote = true;
                    continue;
                }

                if (c is '[' or ']')
                {
                    throw new SearchSyntaxException(raw, "lists cannot be nested");
                }

                if (c != ',')
                {
                    continue;
                }
            }

            var item = inner[start..i].Trim();
            if (item.IsEmpty)
            {
                throw new SearchSyntaxException(raw, "empty value in list");
            }

            items.Add(Unquote(raw, item));
            start = i + 1;
        }

        return items;
    }

    private static string Unquote(string raw, ReadOnlySpan<char> value)
    {
        if (value[0] != '"')
        {
            if (value.Contains('"'))
            {
                throw new SearchSyntaxException(raw, "unexpected quote inside a value");
            }

            return value.ToString();
        }

        if (value.Length < 2 || value[^1] != '"' || (value.Length > 2 && value[^2] == '\\' && CountBackslashes(value[..^1]) % 2 == 1))
        {
            throw new SearchSyntaxException(raw, "unexpected text after a quoted value");
        }

        var inner = value[1..^1];
        var builder = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '"')
            {
                throw new SearchSyntaxException(raw, "unexpected text after a quoted value");
            }

            // \" is a quote; any other escape (\* for a literal star) is kept for the wildcard logic.
            if (c == '\\' && i + 1 < inner.Length && inner[i + 1] == '"')
            {
                builder.Append('"');
                i++;
            }
            else if (c == '\\' && i + 1 < inner.Length)
            {
                builder.Append(c).Append(inner[i + 1]);
                i++;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static int CountBackslashes(ReadOnlySpan<char> value)
    {
        var count = 0;
        for (var i = value.Length - 1; i >= 0 && value[i] == '\\'; i--)
        {
            count++;
        }

        return count;
    }

    private static bool IsKey(string key)
    {
        if (key.Length == 0 || key.Length > 200)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-' or ':' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    private static SearchValue Text(string text) => new(SearchValueKind.Text, text);
}
