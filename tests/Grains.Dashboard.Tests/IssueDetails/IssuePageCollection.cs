namespace Grains.Dashboard.Tests.IssueDetails;

/// <summary>
/// The issue page tests run a whole server (silo, SQLite, ingest): they run alone, after the other
/// component tests, so their load does not slow MudBlazor's popovers in tests running beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IssuePageCollection
{
    public const string Name = "Issue page against a server";
}
