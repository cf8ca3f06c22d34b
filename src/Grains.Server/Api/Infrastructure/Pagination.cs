using System.Text;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Sentry's paging: a <c>limit</c> parameter and the <c>Link</c> header with a <c>previous</c> and a
/// <c>next</c> link, each saying whether it has <c>results</c> and carrying the opaque <c>cursor</c>.
/// </summary>
internal static class Pagination
{
    public const int MaxLimit = 100;

    // Cursor values of links without results: Sentry's own for an empty first page, never followed by clients.
    private const string NoPrevious = "0:0:1";
    private const string NoNext = "0:0:0";

    /// <summary>Parses <c>limit</c> (1 to <see cref="MaxLimit"/>).</summary>
    public static int Limit(HttpRequest request, int defaultLimit)
    {
        var raw = request.Query["limit"].ToString();
        if (raw.Length == 0)
        {
            return defaultLimit;
        }

        if (!int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) || limit < 1)
        {
            throw ApiException.BadRequest($"Invalid limit parameter '{raw}': expected an integer from 1 to {MaxLimit}.");
        }

        return limit <= MaxLimit ? limit : throw ApiException.BadRequest($"Invalid limit parameter. Max is {MaxLimit}.");
    }

    /// <summary>The <c>cursor</c> parameter, or null.</summary>
    public static string? Cursor(HttpRequest request)
    {
        var raw = request.Query["cursor"].ToString();
        return raw.Length == 0 ? null : raw;
    }

    /// <summary>Sets the <c>Link</c> header exactly as Sentry formats it.</summary>
    public static void SetLink(HttpContext http, ApiUrls urls, string? previousCursor, string? nextCursor)
    {
        var request = http.Request;
        var query = new StringBuilder();
        foreach (var (key, values) in request.Query)
        {
            if (key == "cursor")
            {
                continue;
            }

            foreach (var value in values)
            {
                query.Append(query.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
            }
        }

        var uri = $"{urls.Base(request)}{request.PathBase}{request.Path}?{query}";
        http.Response.Headers.Link =
            $"{Link(uri, "previous", previousCursor, NoPrevious)}, {Link(uri, "next", nextCursor, NoNext)}";
    }

    private static string Link(string uri, string rel, string? cursor, string none)
    {
        var value = cursor ?? none;
        return $"<{uri}&cursor={Uri.EscapeDataString(value)}>; rel=\"{rel}\"; results=\"{(cursor is null ? "false" : "true")}\"; cursor=\"{value}\"";
    }
}
