namespace Grains.AppHost.Tests.Support;

/// <summary>
/// Tests that start a whole app (the Aspire orchestrator, its dashboard, silos, PostgreSQL) run one at
/// a time: each takes both cores of a small machine for its start, and dashboards pick free ports.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeAppsCollection
{
    public const string Name = "Whole apps";
}
