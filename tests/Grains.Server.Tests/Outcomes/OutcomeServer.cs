using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Tests.Storage;
using Grains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Grains.Server.Tests.Outcomes;

/// <summary>
/// A real server on SQLite or (<c>postgres: true</c>) PostgreSQL, with organization <c>acme</c>, project
/// <c>web</c> and its DSN key, a second organization <c>other</c> with project <c>api</c>, and an API token.
/// </summary>
public sealed class OutcomeServer(bool postgres, IReadOnlyDictionary<string, string?>? extraSettings = null) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    public HttpClient Http { get; } = new();

    public string Url { get; private set; } = "";

    public long OrganizationId { get; private set; }

    public long ProjectId { get; private set; }

    public long OtherProjectId { get; private set; }

    public string PublicKey { get; private set; } = "";

    public string Token { get; } = "grains_outcomes_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Grains:Seed"] = "false", ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        if (postgres)
        {
            (_app, Url) = PostgresServer.Build(await PostgresTestServer.CreateDatabaseAsync("out"), _data, settings);
        }
        else
        {
            _app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
            {
                builder.Configuration["Grains:DataDirectory"] = _data;
                foreach (var (key, value) in settings)
                {
                    builder.Configuration[key] = value;
                }
            });
        }

        await _app.StartAsync();
        Url = _app.Urls.First().TrimEnd('/');

        var directory = Services.GetRequiredService<IDirectoryStore>();
        var organization = await directory.CreateOrganizationAsync("acme", "Acme");
        OrganizationId = organization.Id;
        ProjectId = (await directory.CreateProjectAsync(organization.Id, "web", "Web", "javascript")).Id;
        var other = await directory.CreateOrganizationAsync("other", "Other");
        OtherProjectId = (await directory.CreateProjectAsync(other.Id, "api", "Api", "python")).Id;
        PublicKey = (await Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(ProjectId).CreateKeyAsync("Default")).PublicKey;
        await directory.CreateTokenAsync("outcomes", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token))));
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
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
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>Posts an envelope as @sentry/node does (key in the query string).</summary>
    public Task<int> PostEnvelopeAsync(byte[] envelope, string? key = null) =>
        PostAsync($"/api/{ProjectId}/envelope/?sentry_version=7&sentry_key={key ?? PublicKey}&sentry_client=sentry.javascript.node%2F11.12.0", envelope);

    /// <summary>Posts a body to the store endpoint.</summary>
    public Task<int> PostStoreAsync(string json) =>
        PostAsync($"/api/{ProjectId}/store/?sentry_version=7&sentry_key={PublicKey}", Encoding.UTF8.GetBytes(json));

    /// <summary>The outcome rows of <c>acme</c> in the last day (or since <paramref name="fromHour"/>), after this silo wrote what it holds, summed over hours.</summary>
    public async Task<IReadOnlyList<(string Category, string Outcome, string? Reason, long Quantity, long TimesSeen)>> RowsAsync(long? fromHour = null)
    {
        await Services.GetRequiredService<OutcomeAggregator>().FlushAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var rows = await Services.GetRequiredService<IOutcomeStore>().ReadAsync(OrganizationId, fromHour ?? now - 86_400, now + 7_200);
        return
        [
            .. rows.GroupBy(r => (r.ProjectId, r.Category, r.Outcome, r.Reason))
                .Select(g =>
                {
                    Assert.Equal(ProjectId, g.Key.ProjectId);
                    return (g.Key.Category, OutcomeNames.Of(g.Key.Outcome), g.Key.Reason, g.Sum(r => r.Quantity), g.Sum(r => r.TimesSeen));
                })
                .OrderBy(r => r.Category, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal),
        ];
    }

    public async Task<(int Status, JsonNode? Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(Url + path);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<int> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + path) { Content = content };
        request.Headers.Authorization = null;
        using var response = await Http.SendAsync(request);
        return (int)response.StatusCode;
    }
}
