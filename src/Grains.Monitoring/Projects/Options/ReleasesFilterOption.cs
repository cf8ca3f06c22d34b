using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Projects.Options;

/// <summary><c>filters:releases</c>: release globs whose events are dropped (Sentry's <c>sentry:releases</c>, lower-cased).</summary>
public sealed class ReleasesFilterOption : NewlineListOption
{
    public static ReleasesFilterOption Instance { get; } = new();

    public override string Key => "filters:releases";

    protected override bool LowerCase => true;

    protected override string? ValidateLine(string line) => GlobList.Validate(line);
}
