namespace Grains.Browser.Tests.Support;

/// <summary>
/// Every browser test runs in this one collection: one at a time (the machine has two cores; servers
/// and Chromium of tests running side by side would make each other's deadlines), sharing the fixture.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "browser";
}
