using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Routing;

/// <summary>
/// Matches request paths against the ingest routes (reference §1.2): <c>[/prefix]/api/{pid}/envelope/</c>,
/// <c>[/prefix]/api/{pid}/store/</c> and <c>[/prefix]/api/store/</c>, with or without the trailing
/// slash and with repeated slashes folded.
/// </summary>
public static class IngestPathParser
{
    /// <summary>The 400 detail Relay gives for a project id that is not a number.</summary>
    public const string BadProjectDetail = "bad project path parameter";

    /// <summary>
    /// Returns the route for <paramref name="path"/>, or <c>null</c> when the path is not an ingest
    /// route (the endpoint answers 404).
    /// </summary>
    /// <exception cref="IngestException">400 <c>bad project path parameter</c> when the path has the
    /// shape of an ingest route but the project segment is not an unsigned 64-bit number.</exception>
    public static IngestRoute? Parse(string path)
    {
        // Splitting with RemoveEmptyEntries folds "//" and ignores the trailing slash in one step,
        // which is what Relay's normalize_path middleware plus its optional-slash routes amount to.
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var n = segments.Length;
        if (n < 2)
        {
            return null;
        }

        IngestEndpoint endpoint;
        switch (segments[n - 1])
        {
            case "envelope":
                endpoint = IngestEndpoint.Envelope;
                break;
            case "store":
                endpoint = IngestEndpoint.Store;
                break;
            default:
                return null;
        }

        if (endpoint == IngestEndpoint.Store && segments[n - 2] == "api")
        {
            return new IngestRoute(endpoint, null, JoinPrefix(segments, n - 2));
        }

        if (n < 3 || segments[n - 3] != "api")
        {
            return null;
        }

        if (!TryParseProjectId(segments[n - 2], out var projectId))
        {
            throw IngestException.BadRequest(BadProjectDetail, $"cannot parse `{segments[n - 2]}` as a project id");
        }

        return new IngestRoute(endpoint, projectId, JoinPrefix(segments, n - 3));
    }

    /// <summary>
    /// Parses a project id the way Relay's <c>ProjectId</c> does: ASCII digits only, fits in 64 bits.
    /// </summary>
    public static bool TryParseProjectId(ReadOnlySpan<char> text, out ulong projectId)
    {
        projectId = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out projectId);
    }

    private static string JoinPrefix(string[] segments, int count) =>
        count == 0 ? string.Empty : "/" + string.Join('/', segments, 0, count);
}
