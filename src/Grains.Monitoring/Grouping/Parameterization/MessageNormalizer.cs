using System.Text;

namespace Grains.Monitoring.Grouping.Parameterization;

/// <summary>
/// Sentry's <c>normalize_message_for_grouping</c>: keep the first two non-blank lines (adding
/// <c>...</c> when that changed the text) and parameterize the result.
/// </summary>
public static class MessageNormalizer
{
    /// <summary>Trims (optionally) and parameterizes a message or exception value.</summary>
    public static string Normalize(string message, bool trim = true, Parameterizer? parameterizer = null)
    {
        parameterizer ??= Parameterizer.Default;
        return parameterizer.Parameterize(trim ? TrimToTwoLines(message) : message);
    }

    /// <summary>
    /// Keeps the first two non-blank lines joined by <c>\n</c>; appends <c>...</c> if the result differs
    /// from the input (so even dropping blank lines or normalising <c>\r\n</c> counts, as upstream).
    /// Line breaks follow Python's <c>str.splitlines</c>.
    /// </summary>
    public static string TrimToTwoLines(string message)
    {
        if (message.AsSpan().IndexOfAny(LineBreaks) < 0)
        {
            // Single line: only a blank line changes (it becomes empty plus the marker).
            return string.IsNullOrWhiteSpace(message) && message.Length > 0 ? "..." : message;
        }

        var kept = 0;
        var builder = new StringBuilder();
        var start = 0;
        while (start < message.Length && kept < 2)
        {
            var end = start;
            while (end < message.Length && !IsLineBreak(message[end]))
            {
                end++;
            }

            var line = message.AsSpan(start, end - start);
            if (!line.IsWhiteSpace())
            {
                if (kept > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(line);
                kept++;
            }

            if (end < message.Length && message[end] == '\r' && end + 1 < message.Length && message[end + 1] == '\n')
            {
                end++;
            }

            start = end + 1;
        }

        var trimmed = builder.ToString();
        return trimmed == message ? trimmed : trimmed + "...";
    }

    private const string LineBreaks = "\n\r\v\f\u001c\u001d\u001e\u0085\u2028\u2029";

    private static bool IsLineBreak(char c) => LineBreaks.Contains(c);
}
