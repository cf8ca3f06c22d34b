using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Tests.Workflow;

/// <summary>Sentry's <c>has_resolution</c> (reference §2.2): true = stays resolved, false = regression.</summary>
public sealed class HasResolutionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Semver project: first seen order deliberately differs from semver order.
    private static readonly ReleaseOrder Semver = new(
    [
        new ProjectRelease("web@2.0.0", T0, T0),
        new ProjectRelease("web@1.0.0", T0.AddDays(1), T0.AddDays(1)),
        new ProjectRelease("web@1.5.0", T0.AddDays(2), T0.AddDays(2)),
    ]);

    // Non-semver project: order by first seen (a < b < c).
    private static readonly ReleaseOrder ByDate = new(
    [
        new ProjectRelease("b-sha", T0.AddDays(1), T0.AddDays(1)),
        new ProjectRelease("a-sha", T0, T0),
        new ProjectRelease("c-sha", T0.AddDays(2), T0.AddDays(2)),
    ]);

    public static TheoryData<string, string?, string, string?, string?, bool> Cases => new()
    {
        // project, resolution type, version, current, event release, stays resolved
        { "semver", null, "", null, "web@1.0.0", false },                                   // plain resolve: any event regresses
        { "semver", IssueResolution.InRelease, "web@2.0.0", "web@2.0.0", null, true },      // no release: assumed older
        { "semver", IssueResolution.InRelease, "web@2.0.0", "web@2.0.0", "web@1.5.0", true },  // next release (semver): older
        { "semver", IssueResolution.InRelease, "web@2.0.0", "web@2.0.0", "web@2.0.0", true },  // the current release itself
        { "semver", IssueResolution.InRelease, "web@2.0.0", "web@2.0.0", "web@2.0.1", false }, // newer: regression
        { "semver", IssueResolution.InRelease, "web@1.5.0", null, "web@1.0.0", true },      // in release X: older stays
        { "semver", IssueResolution.InRelease, "web@1.5.0", null, "web@1.5.0", false },     // X itself: the fix did not work
        { "semver", IssueResolution.InRelease, "web@1.5.0", null, "web@2.0.0", false },     // newer than X (semver, though first seen earlier)
        { "date", IssueResolution.InNextRelease, "b-sha", "b-sha", "a-sha", true },
        { "date", IssueResolution.InNextRelease, "b-sha", "b-sha", "b-sha", true },
        { "date", IssueResolution.InNextRelease, "b-sha", "b-sha", "c-sha", false },
        { "date", IssueResolution.InNextRelease, "b-sha", "b-sha", "unseen-sha", false },   // a release first seen now is the newest
        { "date", IssueResolution.InRelease, "b-sha", null, "a-sha", true },
        { "date", IssueResolution.InRelease, "b-sha", null, "b-sha", false },
        { "date", IssueResolution.InRelease, "b-sha", null, "c-sha", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolutions_cover_older_releases_only(string project, string? type, string version, string? current, string? release, bool staysResolved)
    {
        var resolution = type is null ? null : new IssueResolution(type, version, current);
        Assert.Equal(staysResolved, IssueWorkflow.HasResolution(resolution, release, project == "semver" ? Semver : ByDate));
    }

    [Fact]
    public void Release_order_knows_semver_projects_and_their_greatest_release()
    {
        Assert.True(Semver.FollowsSemver);
        Assert.Equal("web@2.0.0", Semver.Greatest);
        Assert.Equal("web@1.5.0", Semver.Latest);
        Assert.False(ByDate.FollowsSemver);
        Assert.Equal("c-sha", ByDate.Greatest);
        Assert.Null(new ReleaseOrder([]).Latest);
    }
}
