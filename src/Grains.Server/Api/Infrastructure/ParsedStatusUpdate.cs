using Grains.Monitoring.Issues;

namespace Grains.Server.Api.Infrastructure;

/// <summary>A parsed issue update: the grain update, and a release-based resolution still to be checked against the project's releases.</summary>
/// <param name="Update">The update (for a resolve, without its resolution yet).</param>
/// <param name="InNextRelease"><c>statusDetails.inNextRelease</c> (or status <c>resolvedInNextRelease</c>).</param>
/// <param name="InRelease"><c>statusDetails.inRelease</c>: a version or <c>latest</c>.</param>
internal sealed record ParsedStatusUpdate(IssueStatusUpdate Update, bool InNextRelease, string? InRelease)
{
    /// <summary>Whether the update needs the project's releases.</summary>
    public bool NeedsRelease => InNextRelease || InRelease is not null;
}
