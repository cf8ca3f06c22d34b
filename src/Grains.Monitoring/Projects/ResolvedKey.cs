using Grains.Monitoring.Grouping;
using Grains.Monitoring.Storage;

namespace Grains.Monitoring.Projects;

/// <summary>What the edge knows about a DSN key: the key, its project and the project's grouping config.</summary>
public sealed record ResolvedKey(ProjectKeyRecord Key, ProjectRecord Project, GroupingConfig Grouping);
