using Grains.Monitoring.Filters;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;

namespace Grains.Monitoring.Projects;

/// <summary>
/// What the edge knows about a DSN key: the key, its project, the project's grouping config, its
/// options and the inbound filters compiled from them (cached together, dropped together on a change).
/// </summary>
public sealed record ResolvedKey(ProjectKeyRecord Key, ProjectRecord Project, GroupingConfig Grouping)
{
    /// <summary>The project's options (<see cref="ProjectOptionRegistry"/>).</summary>
    public ProjectOptions Options { get; init; } = ProjectOptions.Empty;

    /// <summary>The project's inbound filters, compiled once per cache entry.</summary>
    public InboundFilters Filters { get; init; } = InboundFilters.None;
}
