using System.Text.Json.Nodes;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Turns "resolve in the next release" / "in release X" into a concrete resolution against the
/// project's releases, as Sentry's <c>process_group_resolution</c> does (api-shapes §f): next release
/// in a semver project is stored at once as <c>in_release</c> of the greatest semver release (so it reads
/// back as <c>inRelease</c>), otherwise as <c>in_next_release</c> remembering the latest release.
/// </summary>
internal static class ReleaseResolutions
{
    public const string NoReleaseData = "No release data present in the system to form a basis for 'Next Release'";

    public const string UnknownRelease = "Unable to find a release with the given version.";

    /// <summary>The update with its resolution and the change set's <c>statusDetails</c>; a 400 when the project has no (such) release.</summary>
    public static async Task<IssueStatusUpdate> ResolveAsync(ParsedStatusUpdate parsed, long projectId, IWorkflowStore store, CancellationToken cancellationToken)
    {
        if (!parsed.NeedsRelease)
        {
            return parsed.Update;
        }

        var order = new ReleaseOrder(await store.GetProjectReleasesAsync(projectId, cancellationToken));
        if (parsed.InNextRelease)
        {
            if (order.Latest is null)
            {
                throw StatusUpdateParser.Invalid("inNextRelease", NoReleaseData);
            }

            var resolution = order.FollowsSemver
                ? new IssueResolution(IssueResolution.InRelease, order.Greatest!, order.Greatest)
                : new IssueResolution(IssueResolution.InNextRelease, order.Latest, order.Latest);
            return parsed.Update with
            {
                Resolution = resolution,
                StatusDetailsJson = new JsonObject { ["inNextRelease"] = true, ["actor"] = null }.ToJsonString(),
            };
        }

        var version = parsed.InRelease!;
        if (version == "latest")
        {
            version = order.Greatest ?? throw StatusUpdateParser.Invalid("inRelease", NoReleaseData);
        }
        else if (!order.Contains(version))
        {
            throw StatusUpdateParser.Invalid("inRelease", UnknownRelease);
        }

        return parsed.Update with
        {
            Resolution = new IssueResolution(IssueResolution.InRelease, version, null),
            StatusDetailsJson = new JsonObject { ["inRelease"] = version, ["actor"] = null }.ToJsonString(),
        };
    }
}
