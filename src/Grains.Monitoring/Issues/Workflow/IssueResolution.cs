namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// A release-based resolution (Sentry's <c>GroupResolution</c>); a plain resolve has none.
/// </summary>
/// <param name="Type"><c>in_release</c> or <c>in_next_release</c>.</param>
/// <param name="Version">The release of the resolution: X of "resolved in X", or the release that was latest when resolving "in the next release".</param>
/// <param name="CurrentReleaseVersion">For "next release": the release events are compared with (≤ stays resolved, newer regresses); null for "in release X".</param>
[GenerateSerializer, Alias("Grains.Monitoring.IssueResolution")]
public sealed record IssueResolution(
    [property: Id(0)] string Type,
    [property: Id(1)] string Version,
    [property: Id(2)] string? CurrentReleaseVersion)
{
    public const string InRelease = "in_release";

    public const string InNextRelease = "in_next_release";
}
