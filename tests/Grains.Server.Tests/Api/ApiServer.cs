using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Api;

/// <summary>
/// A real server on a loopback port with a fresh data directory and an admin token created
/// directly in the directory store (as the first-start seeder would). One per test class.
/// </summary>
public class ApiServer : IAsyncLifetime
{
    private WebApplication? _app;
    private string _data = "";

    /// <summary>A client that sends the admin token.</summary>
    public HttpClient Http { get; } = new();

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous { get; } = new();

    public string Url { get; private set; } = "";

    public string Token { get; } = "grains_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public IServiceProvider Services => _app!.Services;

    public IIssueStore Issues => Services.GetRequiredService<IIssueStore>();

    public IEventStore Events => Services.GetRequiredService<IEventStore>();

    public IDirectoryStore Directory => Services.GetRequiredService<IDirectoryStore>();

    public virtual async Task InitializeAsync()
    {
        _data = Path.Combine(Path.GetTempPath(), "grains-api-tests", Guid.NewGuid().ToString("N"));
        _app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = _data;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            Configure(builder);
        });
        await _app.StartAsync();
        Url = _app.Urls.First().TrimEnd('/');
        Http.BaseAddress = new Uri(Url);
        Anonymous.BaseAddress = new Uri(Url);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await Directory.CreateTokenAsync("admin", Sha256Hex(Token));
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        Anonymous.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finalizer: the temp directory is cleaned up by the OS later.
        }
    }

    /// <summary>Changes configuration or services before the server is built (derived fixtures).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    /// <summary>The stored form of a token: SHA-256 of its UTF-8 bytes, lowercase hex.</summary>
    public static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await (client ?? Http).SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiResponse> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body.ToJsonString());

    public Task<ApiResponse> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body.ToJsonString());

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>Creates an organization and a project through the API; returns the project's id and its default key.</summary>
    public async Task<(long ProjectId, string PublicKey)> CreateProjectAsync(string org, string project, string platform = "javascript")
    {
        var existing = await GetAsync($"/api/0/organizations/{org}/");
        if (existing.Status == 404)
        {
            (await PostAsync("/api/0/organizations/", new JsonObject { ["name"] = org, ["slug"] = org })).AssertStatus(201);
        }

        var created = (await PostAsync($"/api/0/organizations/{org}/projects/", new JsonObject { ["name"] = project, ["slug"] = project, ["platform"] = platform })).AssertStatus(201);
        var projectId = long.Parse(created.Json!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var keys = (await GetAsync($"/api/0/projects/{org}/{project}/keys/")).AssertStatus(200);
        return (projectId, keys.Json![0]!["public"]!.GetValue<string>());
    }

    /// <summary>Sends an event through the real ingest edge, as an SDK would.</summary>
    public async Task IngestAsync(long projectId, string publicKey, JsonObject evt)
    {
        var eventId = evt["event_id"]!.GetValue<string>();
        var envelope = $"{{\"event_id\":\"{eventId}\"}}\n{{\"type\":\"event\"}}\n{evt.ToJsonString()}\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{projectId}/envelope/")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(envelope)),
        };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={publicKey}, sentry_version=7, sentry_client=grains-tests/1.0");
        using var response = await Anonymous.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Polls the API until <paramref name="condition"/> holds (events reach lists within about 2 s).</summary>
    public async Task<ApiResponse> WaitAsync(string path, Func<ApiResponse, bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var response = await GetAsync(path);
            if (condition(response))
            {
                return response;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"GET {path} did not reach the expected state within {timeoutMs} ms; last answer {response.Status}: {response.Body}");
            }

            await Task.Delay(25);
        }
    }
}
