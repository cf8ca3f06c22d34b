namespace Grains.AppHost.Tests;

/// <summary>
/// The tests that build or start the AppHost in the test process (Aspire.Hosting.Testing). They run one
/// at a time and after every parallel collection: each start is a whole app (DCP, dashboard, silos,
/// PostgreSQL), and the AppHost sets process-wide environment variables for its dashboard
/// (<see cref="LocalDashboard"/>) that a neighbouring test starting an AppHost process would inherit.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostTestingCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "AppHost in the test process";
}
