using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Tests.Workflow;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("1.0.0", "1.0.1", -1)]
    [InlineData("1.10.0", "1.9.0", 1)]
    [InlineData("web@2.0.0", "web@10.0.0", -1)]
    [InlineData("1.0.0", "web@1.0.0", 0)]
    [InlineData("1.0.0-alpha", "1.0.0", -1)]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1", -1)]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta", -1)]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11", -1)]
    [InlineData("1.0.0-rc.1", "1.0.0-beta.11", 1)]
    [InlineData("1.0.0+build.1", "1.0.0+build.2", 0)]
    [InlineData("1.2", "1.2.0", 0)]
    [InlineData("1.2.3.4", "1.2.3.5", -1)]
    [InlineData("@scope/pkg@3.0.0", "@scope/pkg@2.9.9", 1)]
    public void Versions_compare_by_semver_precedence(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(SemanticVersion.Compare(left, right)));
        Assert.Equal(-expected, Math.Sign(SemanticVersion.Compare(right, left)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0.0.0")]
    [InlineData("1..0")]
    [InlineData("1.0.0-")]
    [InlineData("1.0.0+")]
    [InlineData("1.0.0-a..b")]
    [InlineData("1.0.0-a_b")]
    [InlineData("@1.0.0")]
    [InlineData("web@")]
    [InlineData("deadbeefcafe")]
    [InlineData("99999999999999999999.0.0")]
    public void Malformed_versions_are_not_semver(string release) => Assert.Null(SemanticVersion.TryParse(release));

    [Fact]
    public void Package_prerelease_and_build_are_read()
    {
        var version = SemanticVersion.TryParse("my-app@1.2.3-rc.1+abc")!;
        Assert.Equal(("my-app", 1L, 2L, 3L, "rc.1", "abc"), (version.Package, version.Major, version.Minor, version.Patch, version.Prerelease, version.Build));
    }
}
