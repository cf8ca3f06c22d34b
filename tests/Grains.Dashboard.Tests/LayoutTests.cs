using Grains.Server.Dashboard;
using Grains.Server.Dashboard.Layout;

namespace Grains.Dashboard.Tests;

public sealed class LayoutTests : DashboardTestContext
{
    [Fact]
    public void Navigation_links_every_page_of_the_default_organization()
    {
        var menu = Render<NavMenu>();

        var links = menu.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains(DashboardRoutes.Issues("default"), links);
        Assert.Contains(DashboardRoutes.ProjectKeys("default", "default"), links);
        Assert.Contains(DashboardRoutes.AlertRules("default", "default"), links);
        Assert.Contains(DashboardRoutes.Members("default"), links);
    }

    [Theory]
    [InlineData("my org", 7, "/organizations/my%20org/issues/7/")]
    [InlineData("default", 1, "/organizations/default/issues/1/")]
    public void Issue_addresses_escape_the_organization(string org, long id, string expected)
        => Assert.Equal(expected, DashboardRoutes.Issue(org, id));
}
