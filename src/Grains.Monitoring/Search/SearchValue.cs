namespace Grains.Monitoring.Search;

/// <summary>One value of a search term.</summary>
/// <param name="Kind">What the value holds.</param>
/// <param name="Text">The value as text (unquoted; for <see cref="SearchValueKind.Text"/>, with <c>*</c> wildcards and <c>\*</c> for a literal star).</param>
/// <param name="Number">The number of a <see cref="SearchValueKind.Number"/>.</param>
/// <param name="Date">The instant of a <see cref="SearchValueKind.Date"/>.</param>
/// <param name="DateOnly">A <see cref="SearchValueKind.Date"/> written without a time: an equality covers the whole UTC day.</param>
/// <param name="Offset">The length of a <see cref="SearchValueKind.Relative"/> (positive).</param>
/// <param name="Within">A <see cref="SearchValueKind.Relative"/> written <c>-24h</c> ("within the last 24 hours"); <c>+24h</c> means "longer ago than".</param>
public sealed record SearchValue(
    SearchValueKind Kind,
    string Text,
    long Number = 0,
    DateTimeOffset Date = default,
    bool DateOnly = false,
    TimeSpan Offset = default,
    bool Within = false)
{
    /// <summary>The text contains an unescaped <c>*</c>.</summary>
    public bool HasWildcard
    {
        get
        {
            for (var i = 0; i < Text.Length; i++)
            {
                if (Text[i] == '\\')
                {
                    i++;
                }
                else if (Text[i] == '*')
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The text with <c>\*</c> and <c>\\</c> unescaped (for exact comparisons).</summary>
    public string Literal
    {
        get
        {
            if (!Text.Contains('\\', StringComparison.Ordinal))
            {
                return Text;
            }

            // One pass, so an escaped backslash never escapes the character after it.
            var literal = new System.Text.StringBuilder(Text.Length);
            for (var i = 0; i < Text.Length; i++)
            {
                literal.Append(Text[i] == '\\' && i + 1 < Text.Length ? Text[++i] : Text[i]);
            }

            return literal.ToString();
        }
    }

    /// <summary>The instant a relative value stands for (<paramref name="now"/> minus <see cref="Offset"/>).</summary>
    public DateTimeOffset ResolveRelative(DateTimeOffset now) => now - Offset;
}
