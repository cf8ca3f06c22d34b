using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// Opaque keyset cursors: base64url of <c>tag:number:text</c> (the sort value and the tiebreak of the
/// row the page stops at). Clients only pass them back; a cursor that does not decode is rejected.
/// </summary>
public readonly record struct StoreCursor(string Tag, long Number, string Text)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Tag}:{Number}:{Text}")));

    /// <exception cref="ArgumentException">The cursor is not one this store issued for <paramref name="tags"/>.</exception>
    public static StoreCursor Decode(string cursor, params ReadOnlySpan<string> tags)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw Invalid(cursor);
        }

        var first = text.IndexOf(':', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf(':', first + 1);
        if (second < 0 || !long.TryParse(text.AsSpan(first + 1, second - first - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw Invalid(cursor);
        }

        var tag = text[..first];
        foreach (var expected in tags)
        {
            if (tag == expected)
            {
                return new StoreCursor(expected, number, text[(second + 1)..]);
            }
        }

        throw Invalid(cursor);
    }

    private static ArgumentException Invalid(string cursor) => new($"Invalid cursor '{cursor}'.", nameof(cursor));
}
