using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Orleans;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Ingest;

/// <summary>A real server on a loopback port with a fresh data directory, one project and one DSN key.</summary>
public class IngestServer : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Http { get; } = new();

    public string Url { get; private set; } = "";

    public long ProjectId { get; private set; }

    public string PublicKey { get; private set; } = "";

    public IServiceProvider Services => _app!.Services;

    public IIssueStore Issues => Services.GetRequiredService<IIssueStore>();

    public IEventStore Events => Services.GetRequiredService<IEventStore>();

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        _app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = data;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            Configure(builder);
        });
        await _app.StartAsync();
        Url = _app.Urls.First().TrimEnd('/');

        var directory = Services.GetRequiredService<IDirectoryStore>();
        var organization = await directory.CreateOrganizationAsync("acme", "Acme");
        var project = await directory.CreateProjectAsync(organization.Id, "web", "Web", "javascript");
        ProjectId = project.Id;
        var key = await Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(project.Id).CreateKeyAsync("Default");
        PublicKey = key.PublicKey;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Changes the server's configuration before it is built (derived fixtures).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public string AuthHeader(string? key = null) => $"Sentry sentry_key={key ?? PublicKey}, sentry_version=7, sentry_client=test/1.0";

    /// <summary>Waits until the issue store lists an issue whose title contains <paramref name="title"/>.</summary>
    public async Task<IssueRecord> WaitForIssueAsync(string title, Func<IssueRecord, bool>? condition = null, int timeoutMs = 5_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var page = await Issues.QueryAsync(new IssueQuery { ProjectIds = [ProjectId], Query = "", Limit = 100 });
            var found = page.Issues.FirstOrDefault(issue => issue.Title.Contains(title, StringComparison.Ordinal) && (condition?.Invoke(issue) ?? true));
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No issue titled '{title}' within {timeoutMs} ms (found: {string.Join(", ", page.Issues.Select(i => $"{i.Title} x{i.TimesSeen}"))})");
            }

            await Task.Delay(20);
        }
    }
}
