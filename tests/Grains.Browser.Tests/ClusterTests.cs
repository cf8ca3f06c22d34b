using System.Text.Json.Nodes;
using Grains.Browser.Tests.Support;
using Grains.Server.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grains.Browser.Tests;

/// <summary>
/// Two silos on PostgreSQL behind a plain round-robin TCP proxy (no sticky sessions): a page's document
/// and its circuit's WebSocket may reach different silos, and the dashboard works anyway (decision 0010:
/// one Data Protection key ring in the shared database, the circuit on one WebSocket without negotiate).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClusterTests(DashboardFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Behind_a_round_robin_proxy_over_two_silos_the_stream_is_live_and_an_issue_resolves_from_its_page()
    {
        await using var cluster = await Cluster.StartAsync(2);
        await using var proxy = new RoundRobinProxy([.. cluster.Silos.Select(silo => silo.Url)]);
        var silo1 = cluster.Silos[0];
        var owner = await silo1.OwnerAsync();
        var page = await Dashboard.NewPageAsync(fixture.Browser, proxy.Url);
        try
        {
            // Signing in is a POST on one connection; the next page may come from the other silo.
            await Dashboard.SignInAsync(page, owner);
            var stream = DashboardRoutes.Issues(DashboardRoutes.DefaultSlug) + "?query=" + Uri.EscapeDataString("is:unresolved");

            // Reload until the stream's document came from one silo and its circuit's WebSocket went to the
            // other (round robin makes that likely at once; the page must work either way).
            var crossed = false;
            for (var attempt = 1; attempt <= 8 && !crossed; attempt++)
            {
                var before = proxy.Requests.Count;
                await page.GotoAsync(stream);
                await Dashboard.WaitInteractiveAsync(page);
                var requests = proxy.Requests.Skip(before).ToList();
                var document = requests.FirstOrDefault(r => r.Method == "GET" && r.Target.StartsWith(DashboardRoutes.Issues(DashboardRoutes.DefaultSlug), StringComparison.Ordinal));
                var circuit = requests.LastOrDefault(r => r.IsCircuit);
                output.WriteLine($"attempt {attempt}: document {document}, circuit {circuit}");
                crossed = document is not null && circuit is not null && document.Backend != circuit.Backend;
            }

            Assert.True(crossed, "no page load had its document and its circuit on different silos");
            Assert.Equal(2, proxy.Connections.Select(c => c.Backend).Distinct().Count());

            // Live: an event sent through the proxy (the DSN's host swapped for it) appears without a reload,
            // whichever silo ingested it and whichever holds the circuit.
            await page.EvaluateAsync("() => { window.__grainsNoReload = 'still here'; }");
            var run = Guid.NewGuid().ToString("N")[..10];
            var message = $"cluster checkout failed {run}";
            var dsn = new UriBuilder(await silo1.DsnAsync()) { Host = proxy.Url.Host, Port = proxy.Url.Port }.Uri.ToString().TrimEnd('/');
            await SentryNode.SendErrorAsync(dsn, message, "cluster-" + run);
            var row = page.GetByTestId("issue-row").Filter(new() { HasText = message });
            await Expect(row).ToBeVisibleAsync(new() { Timeout = Dashboard.Deadline });
            Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__grainsNoReload"));
            await Dashboard.ScreenshotAsync(page, "cluster-issue-stream", output);
            var issueId = await row.GetAttributeAsync("data-issue-id");
            Assert.False(string.IsNullOrEmpty(issueId));

            // Open it (within the same circuit) and resolve it from its page; both silos agree.
            await row.GetByRole(AriaRole.Link, new() { Name = message, Exact = false }).ClickAsync();
            await Expect(page.GetByTestId("issue-title")).ToContainTextAsync(message, new() { Timeout = Dashboard.Deadline });
            await page.GetByTestId("action-resolve").ClickAsync();
            await Expect(page.GetByTestId("issue-status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*Resolved"), new() { Timeout = Dashboard.Deadline });
            await Dashboard.ScreenshotAsync(page, "cluster-issue", output);
            foreach (var silo in cluster.Silos)
            {
                await Poll.UntilAsync(
                    async () => (await silo.GetJsonAsync($"/api/0/issues/{issueId}/"))["status"]!.GetValue<string>() == "resolved" ? "" : null,
                    TimeSpan.FromSeconds(30),
                    $"issue {issueId} resolved as seen by {silo.Name}");
            }

            await page.GotoAsync(stream);
            await Expect(page.Locator("[data-testid=issue-row], [data-testid=stream-empty]").First).ToBeVisibleAsync();
            await Expect(page.GetByTestId("issue-row").Filter(new() { HasText = message })).ToHaveCountAsync(0);
        }
        catch
        {
            foreach (var silo in cluster.Silos)
            {
                output.WriteLine($"--- {silo.Name} ---\n{silo.OutputTail}");
            }

            await Dashboard.ScreenshotAsync(page, "cluster-failure", output);
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
