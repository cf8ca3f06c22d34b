using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Storage;
using Grains.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Dashboard.Tests.IssueDetails;

/// <summary>
/// A real server (SQLite in a temp directory, the first-start seed: organization and project "default")
/// whose services the issue page's tests render against: the page reads and acts through the very
/// stores, grains and API code it uses in production. Events arrive through the real ingest edge.
/// </summary>
public sealed class IssuePageServer : IAsyncLifetime
{
    private WebApplication? _app;
    private readonly HttpClient _http = new();
    private string _data = "";

    public IServiceProvider Services => _app!.Services;

    public OrganizationRecord Organization { get; private set; } = default!;

    public ProjectRecord Project { get; private set; } = default!;

    private string PublicKey { get; set; } = "";

    public async Task InitializeAsync()
    {
        _data = Path.Combine(Path.GetTempPath(), "grains-dashboard-tests", Guid.NewGuid().ToString("N"));
        _app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = _data;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        });
        await _app.StartAsync();
        _http.BaseAddress = new Uri(_app.Urls.First());
        var directory = Services.GetRequiredService<IDirectoryStore>();
        Organization = await directory.GetOrganizationAsync("default") ?? throw new InvalidOperationException("the seed made no organization");
        Project = (await directory.ListProjectsAsync(Organization.Id))[0];
        PublicKey = (await directory.ListKeysAsync(Project.Id))[0].PublicKey;

        // Another organization: its URLs must not show this one's issues.
        await directory.CreateOrganizationAsync("other", "Other");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finalizer: the OS cleans the temp directory later.
        }
    }

    /// <summary>Sends an event through the envelope endpoint, as an SDK would.</summary>
    public async Task IngestAsync(JsonObject evt)
    {
        var envelope = $"{{\"event_id\":\"{evt["event_id"]}\"}}\n{{\"type\":\"event\"}}\n{evt.ToJsonString()}\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{Project.Id}/envelope/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(envelope)) };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={PublicKey}, sentry_version=7, sentry_client=grains-tests/1.0");
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}");
    }

    /// <summary>Waits (up to 30 s) until the issue of <paramref name="eventId"/> is listed with <paramref name="events"/> events and its event is stored.</summary>
    public async Task<IssueRecord> WaitForIssueAsync(string eventId, long events)
    {
        var eventStore = Services.GetRequiredService<IEventStore>();
        var issues = Services.GetRequiredService<IIssueStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await eventStore.GetAsync(Project.Id, eventId) is { } stored && await issues.GetAsync(stored.IssueId) is { } issue && issue.TimesSeen >= events)
            {
                return issue;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"event {eventId} was not grouped into an issue with {events} events within 30 s");
            }

            await Task.Delay(50);
        }
    }
}
