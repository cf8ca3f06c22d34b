namespace Grains.Server.Api.Infrastructure;

/// <summary>Sentry's short ids: upper-case project slug, <c>-</c>, the issue number in upper-case base 36 (<c>WEB-1A</c>).</summary>
internal static class ShortIds
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    // 13 base-36 digits exceed long.MaxValue; real issue numbers are far shorter.
    private const int MaxDigits = 12;

    public static string Format(string projectSlug, long number)
    {
        Span<char> buffer = stackalloc char[14];
        var i = buffer.Length;
        var n = number;
        do
        {
            buffer[--i] = Digits[(int)(n % 36)];
            n /= 36;
        }
        while (n > 0);

        return $"{projectSlug.ToUpperInvariant()}-{buffer[i..]}";
    }

    /// <summary>Splits a short id at its last <c>-</c>; the slug comes back lower-case.</summary>
    public static bool TryParse(string shortId, out string projectSlug, out long number)
    {
        projectSlug = "";
        number = 0;
        var dash = shortId.LastIndexOf('-');
        if (dash <= 0 || dash == shortId.Length - 1 || shortId.Length - dash - 1 > MaxDigits)
        {
            return false;
        }

        foreach (var c in shortId.AsSpan(dash + 1))
        {
            var digit = Digits.IndexOf(char.ToUpperInvariant(c));
            if (digit < 0)
            {
                return false;
            }

            number = (number * 36) + digit;
        }

        projectSlug = shortId[..dash].ToLowerInvariant();
        return number > 0;
    }
}
