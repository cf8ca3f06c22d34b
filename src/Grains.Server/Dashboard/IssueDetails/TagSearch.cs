using System.Globalization;
using System.Text;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>
/// Links from a tag value to the issue stream filtered by it (<c>key:"value"</c> in the stream's search
/// syntax, the same parser as the API's <c>query</c>), as Sentry's tag distribution links do.
/// </summary>
internal static class TagSearch
{
    /// <summary>The search term for a tag value: quoted, with quotes, backslashes and stars escaped (a star would be a wildcard).</summary>
    public static string Term(string key, string value)
    {
        var escaped = new StringBuilder(value.Length + 2);
        foreach (var c in value)
        {
            if (c is '"' or '\\' or '*')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return $"{key}:\"{escaped}\"";
    }

    /// <summary>The issue stream of the project with unresolved issues that have the tag value.</summary>
    public static string Link(string organization, long projectId, string key, string value) =>
        DashboardRoutes.Issues(organization)
        + "?project=" + projectId.ToString(CultureInfo.InvariantCulture)
        + "&query=" + Uri.EscapeDataString("is:unresolved " + Term(key, value));
}
