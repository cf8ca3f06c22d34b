using System.Text;

namespace Grains.Server.Api.Infrastructure;

/// <summary>Sentry's slug rules: lowercase letters, digits, <c>-</c> and <c>_</c>, at most 50 characters, not only digits.</summary>
internal static class Slugs
{
    public const int MaxLength = 50;

    /// <summary>The given slug, validated; or one derived from the name (Sentry's <c>slugify</c>).</summary>
    public static string FromInput(string? slug, string name, string field)
    {
        if (slug is not null)
        {
            return IsValid(slug) ? slug : throw ApiException.BadRequest($"'{field}' must be 1 to {MaxLength} lowercase letters, digits, '-' or '_', and not only digits.");
        }

        var derived = Slugify(name);
        return IsValid(derived) ? derived : throw ApiException.BadRequest($"Cannot derive a slug from the name '{name}'; give '{field}' explicitly.");
    }

    public static bool IsValid(string slug)
    {
        if (slug.Length is 0 or > MaxLength)
        {
            return false;
        }

        var onlyDigits = true;
        foreach (var c in slug)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                return false;
            }

            onlyDigits &= char.IsAsciiDigit(c);
        }

        return !onlyDigits;
    }

    private static string Slugify(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length <= MaxLength ? slug : slug[..MaxLength].TrimEnd('-');
    }
}
