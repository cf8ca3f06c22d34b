namespace Grains.Monitoring.Grouping.RuleSyntax;

/// <summary>
/// Splits rule text into numbered lines for both rule languages. Sentry's grammars end a line at
/// <c>\r</c> or <c>\n</c>; a <c>\r\n</c> pair counts as one break here so line numbers in errors match
/// what an editor shows for text saved on Windows.
/// </summary>
internal static class RuleLines
{
    /// <summary>Lines with their 1-based numbers, without the line breaks.</summary>
    public static IEnumerable<(int Number, string Text)> Split(string text)
    {
        var number = 1;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\n' && c != '\r')
            {
                continue;
            }

            yield return (number++, text[start..i]);
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            start = i + 1;
        }

        yield return (number, text[start..]);
    }
}
