using System.Text;

namespace Grains.Monitoring.Grouping.RuleSyntax;

/// <summary>
/// The tokenizer shared by the stack-trace rule parser and the fingerprint rule parser: a cursor over
/// one line with the lexical pieces both grammars have in common (separators, keys, quoted strings with
/// their escapes, bare words, comments). Each parser keeps its own grammar on top; keeping the lexing in
/// one place is what makes the two languages agree on what a rule's text means (they used to differ on
/// <c>\r</c> inside quotes and on which characters separate tokens).
/// </summary>
internal sealed class RuleLineReader
{
    private readonly Func<int, int, string, string, GroupingRuleParseException> _error;

    /// <summary>Creates a reader; <paramref name="error"/> builds the grammar's exception from (line, column, reason, rule text).</summary>
    public RuleLineReader(string line, int lineNumber, Func<int, int, string, string, GroupingRuleParseException> error)
    {
        Line = line;
        LineNumber = lineNumber;
        _error = error;
    }

    /// <summary>The text of the line, without its line break.</summary>
    public string Line { get; }

    /// <summary>1-based line number, for errors.</summary>
    public int LineNumber { get; }

    /// <summary>0-based position of the next unread character.</summary>
    public int Position { get; set; }

    /// <summary>True when the whole line has been read.</summary>
    public bool AtEnd => Position >= Line.Length;

    /// <summary>The next unread character (check <see cref="AtEnd"/> first).</summary>
    public char Peek => Line[Position];

    /// <summary>True when the rest of the line starts with <paramref name="text"/>.</summary>
    public bool LooksAt(string text) => Line.AsSpan(Position).StartsWith(text, StringComparison.Ordinal);

    /// <summary>True when the next character is <paramref name="c"/>.</summary>
    public bool LooksAt(char c) => !AtEnd && Peek == c;

    /// <summary>
    /// True at the end of the line or at a <c>#</c> comment. Sentry's grammars only allow a comment where
    /// a token may start, so this is only asked between tokens.
    /// </summary>
    public bool AtEndOrComment => AtEnd || Peek == '#';

    /// <summary>
    /// Skips separators. Sentry's grammars separate tokens with spaces and end bare words at any white
    /// space (<c>\S+</c>); every white-space character counts as a separator so a word's end is always a
    /// place where the next token may start (tabs and stray <c>\v</c> or non-breaking spaces included).
    /// </summary>
    public void SkipSpaces()
    {
        while (!AtEnd && IsSeparator(Peek))
        {
            Position++;
        }
    }

    /// <summary>Whether <paramref name="c"/> separates tokens.</summary>
    public static bool IsSeparator(char c) => char.IsWhiteSpace(c);

    /// <summary>Consumes <paramref name="c"/> or throws with <paramref name="reason"/> at the current position.</summary>
    public void Expect(char c, string reason)
    {
        if (AtEnd || Peek != c)
        {
            throw Error(reason);
        }

        Position++;
    }

    /// <summary>The grammar's exception for <paramref name="reason"/> at the current position (1-based column).</summary>
    public GroupingRuleParseException Error(string reason) => _error(LineNumber, Position + 1, reason, Line.Trim());

    /// <summary>The grammar's exception for <paramref name="reason"/> at <paramref name="position"/>; also moves there.</summary>
    public GroupingRuleParseException ErrorAt(int position, string reason)
    {
        Position = position;
        return Error(reason);
    }

    /// <summary>Reads a key (<c>[a-zA-Z0-9_.-]*</c>, possibly empty).</summary>
    public string ReadKey()
    {
        var start = Position;
        while (!AtEnd && IsKeyChar(Peek))
        {
            Position++;
        }

        return Line[start..Position];
    }

    /// <summary>Reads a bare word: up to the next separator or a character for which <paramref name="stop"/> is true.</summary>
    public string ReadBare(Func<char, bool>? stop = null)
    {
        var start = Position;
        while (!AtEnd && !IsSeparator(Peek) && (stop is null || !stop(Peek)))
        {
            Position++;
        }

        return Line[start..Position];
    }

    /// <summary>The bare word starting at <paramref name="start"/> without moving the cursor.</summary>
    public string WordAt(int start)
    {
        var end = start;
        while (end < Line.Length && !IsSeparator(Line[end]))
        {
            end++;
        }

        return Line[start..end];
    }

    /// <summary>
    /// Reads a double-quoted string at the cursor and returns it decoded. Known escapes (<c>\\ \" \n \t \r</c>)
    /// are decoded; any other backslash is kept with the character after it, because glob patterns use
    /// <c>\[</c> and <c>\*</c> to escape their own metacharacters.
    /// </summary>
    public string ReadQuoted()
    {
        var start = Position;
        Position++;
        var builder = new StringBuilder();
        while (!AtEnd && Peek != '"')
        {
            if (Peek == '\\' && Position + 1 < Line.Length)
            {
                var next = Line[Position + 1];
                switch (next)
                {
                    case '\\': builder.Append('\\'); break;
                    case '"': builder.Append('"'); break;
                    case 'n': builder.Append('\n'); break;
                    case 't': builder.Append('\t'); break;
                    case 'r': builder.Append('\r'); break;
                    default: builder.Append('\\').Append(next); break;
                }

                Position += 2;
                continue;
            }

            builder.Append(Peek);
            Position++;
        }

        if (AtEnd)
        {
            throw ErrorAt(start, "Unterminated quoted string");
        }

        Position++;
        return builder.ToString();
    }

    /// <summary>Reads a quoted string when the cursor is at <c>"</c>, else a key.</summary>
    public string ReadKeyOrQuoted() => LooksAt('"') ? ReadQuoted() : ReadKey();

    /// <summary>Reads a quoted string when the cursor is at <c>"</c>, else a bare word (see <see cref="ReadBare"/>).</summary>
    public string ReadQuotedOrBare(Func<char, bool>? stop = null) => LooksAt('"') ? ReadQuoted() : ReadBare(stop);

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
