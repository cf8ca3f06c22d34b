using System.Diagnostics;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grains.AppHost.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Grains.AppHost.Tests;

/// <summary>
/// The embedded default (one silo on SQLite) started by the AppHost in the test process, with the
/// Aspire dashboard: ingest through the silo, its telemetry in the dashboard, and the dashboard in Chromium.
/// </summary>
[Collection(AppHostTestingCollection.Name)]
public sealed class EmbeddedAppTests(EmbeddedAppTests.RunningApp running, ITestOutputHelper output) : IClassFixture<EmbeddedAppTests.RunningApp>
{
    /// <summary>
    /// The spans one envelope's trace must hold, in order along the way (<see cref="TelemetrySpan.Matches"/>):
    /// ASP.NET Core's server span of the POST, the pipeline's, the durable append, the issue grain's
    /// delivery of the event (from the log, after the request was answered) and the event store's write.
    /// </summary>
    public static readonly IReadOnlyList<string> IngestTraceSpans = ["POST", "ingest events", "durable log append", "apply event", "grains.sqlite.issues.commit"];

    private const string DashboardResource = "aspire-dashboard";

    private TestAppHost App => running.App;

    [Fact]
    public async Task The_silo_becomes_healthy_and_an_envelope_it_ingests_is_readable_through_its_API()
    {
        await App.App.ResourceNotifications.WaitForResourceHealthyAsync("silo1").WaitAsync(TimeSpan.FromSeconds(60)); // a busy machine delays the health probes
        var message = "hello " + Guid.NewGuid().ToString("N")[..8];

        var eventId = await App.SendEventAsync(1, message);

        var stored = await App.WaitForEventAsync(1, eventId, TimeSpan.FromSeconds(30));
        Assert.Equal(message, stored["message"]!.GetValue<string>());
        var issueId = stored["groupID"]!.GetValue<string>();
        // The issue grain stores an event before it writes the issue's row (its batch order), so the
        // issue may be listed a moment after the event is readable.
        using var silo = App.Silo(1);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonArray issues;
        while (!(issues = JsonNode.Parse(await App.GetApiAsync(silo, "/api/0/projects/default/default/issues/"))!.AsArray())
            .Any(issue => issue!["id"]!.GetValue<string>() == issueId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains(issues, issue => issue!["id"]!.GetValue<string>() == issueId);
    }

    [Fact]
    public async Task The_silo_exports_the_trace_of_an_envelope_to_the_dashboard()
    {
        // OTLP export is best effort (a batch the dashboard was not ready for is dropped, by design), so
        // the test sends up to three events, each continuing a trace of its own, and asks the dashboard
        // for exactly that trace; every failed attempt is reported.
        using var telemetry = new DashboardTelemetry(App.App.GetEndpoint(DashboardResource, "http"), App.Configuration["AppHost:DashboardApiKey"]!);
        var failures = new List<string>();
        IReadOnlyList<TelemetrySpan>? spans = null;
        string traceId = "";
        DashboardTelemetry.SentRequest request = new("", "POST");
        for (var attempt = 1; spans is null && attempt <= 3; attempt++)
        {
            traceId = ActivityTraceId.CreateRandom().ToHexString();
            request = new DashboardTelemetry.SentRequest(ActivitySpanId.CreateRandom().ToHexString(), "POST");
            var eventId = await App.SendEventAsync(1, $"traced {attempt}", $"00-{traceId}-{request.SpanId}-01");
            await App.WaitForEventAsync(1, eventId, TimeSpan.FromSeconds(30));
            try
            {
                // The silo's exporter sends in batches (every 5 s by default); the machine may be busy.
                spans = await telemetry.WaitForTraceAsync(traceId, request, IngestTraceSpans, TimeSpan.FromSeconds(45));
            }
            catch (TimeoutException exception)
            {
                failures.Add(exception.Message);
                output.WriteLine($"attempt {attempt}: {exception.Message}");
            }
        }

        Assert.True(spans is not null, $"no complete trace in 3 attempts: {string.Join(" | ", failures)}");
        output.WriteLine($"trace {traceId}: {spans.Count} spans");
        foreach (var span in spans)
        {
            output.WriteLine("  " + span);
        }

        var post = spans.First(s => s.Matches(IngestTraceSpans[0]));
        Assert.Equal(TelemetrySpan.ServerKind, post.Kind);
        Assert.Equal("silo1", post.Service);
        Assert.Equal("Grains.Pipeline", spans.First(s => s.Matches("ingest events")).Scope);
        Assert.Equal("Grains.Issues", spans.First(s => s.Matches("apply event")).Scope);

        // One trace, connected: every span's parent is in it, up to the POST, whose parent is the test's request.
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans, span => Assert.True(span.ParentSpanId is null || ids.Contains(span.ParentSpanId) || span == post, $"{span} has a parent outside the trace"));
        Assert.Equal(request.SpanId, post.ParentSpanId);
    }

    [Fact]
    public async Task The_dashboard_lists_the_silo_in_headless_Chromium()
    {
        // Debian's Chromium, never a downloaded browser; Playwright's driver runs on the node it ships.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing (test.sh installs the chromium package)");
        var login = new Uri(App.App.GetEndpoint(DashboardResource, "http"), $"/login?t={App.Configuration["AppHost:BrowserToken"]}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(login.ToString());

        // The token signs the browser in and lands on the resources page, which lists the silo as running.
        // Only visible text counts: the page also holds hidden labels with the same words (the state
        // filter's "Running" checkbox), and which comes first in the DOM varies between renders.
        var silo = page.GetByText("silo1", new() { Exact = true }).Filter(new() { Visible = true }).First;
        await silo.WaitForAsync(new() { Timeout = 60_000 });
        await page.GetByText("Running", new() { Exact = true }).Filter(new() { Visible = true }).First.WaitForAsync(new() { Timeout = 60_000 });
        Assert.DoesNotContain("/login", page.Url, StringComparison.Ordinal);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard-resources.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    private const string Chromium = "/usr/bin/chromium";

    /// <summary>The app, started once for the class: one silo on SQLite and the dashboard.</summary>
    public sealed class RunningApp : IAsyncLifetime
    {
        private TestAppHost? _app;

        internal TestAppHost App => _app ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync() => _app = await TestAppHost.StartAsync(silos: 1, postgres: false, dashboard: true);

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
