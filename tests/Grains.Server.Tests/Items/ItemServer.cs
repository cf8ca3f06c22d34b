using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Limits;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Orleans;
using Grains.Server.Api;
using Grains.Server.Ingest;
using Grains.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Items;

/// <summary>A real server on a loopback port with a fresh data directory, organization <c>acme</c>, project <c>web</c>, a DSN key and an API token.</summary>
public sealed class ItemServer : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Http { get; } = new();

    public string Url { get; private set; } = "";

    public long ProjectId { get; private set; }

    public string PublicKey { get; private set; } = "";

    public string Token { get; } = "grains_items_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public IServiceProvider Services => _app!.Services;

    public IItemStore Items => Services.GetRequiredService<IItemStore>();

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        _app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = data;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        });
        if (!ItemRoutesMapped(_app))
        {
            // Until SentryApiEndpoints.MapSentryApi maps them itself; mapping twice would make every item route ambiguous.
            _app.MapItemEndpoints();
        }

        await _app.StartAsync();
        Url = _app.Urls.First().TrimEnd('/');

        var directory = Services.GetRequiredService<IDirectoryStore>();
        var organization = await directory.CreateOrganizationAsync("acme", "Acme");
        var project = await directory.CreateProjectAsync(organization.Id, "web", "Web", "javascript");
        ProjectId = project.Id;
        var key = await Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(project.Id).CreateKeyAsync("Default");
        PublicKey = key.PublicKey;
        await directory.CreateTokenAsync("items", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token))));
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    private static bool ItemRoutesMapped(IEndpointRouteBuilder app) =>
        app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Any(endpoint => endpoint.RoutePattern.RawText?.Contains("user-feedback", StringComparison.Ordinal) == true);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Posts an envelope the way @sentry/node does (key in the query string, no content type).</summary>
    public async Task<(int Status, JsonNode? Body)> PostEnvelopeAsync(byte[] envelope)
    {
        using var content = new ByteArrayContent(envelope);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Url}/api/{ProjectId}/envelope/?sentry_version=7&sentry_key={PublicKey}&sentry_client=sentry.javascript.node%2F11.12.0") { Content = content };
        request.Headers.Authorization = null;
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Stores an envelope's items through the edge's recorder, without the HTTP edge (works before the middleware calls it).</summary>
    public async Task RecordAsync(byte[] envelope, DateTimeOffset? received = null)
    {
        var key = await Services.GetRequiredService<ProjectKeyCache>().ResolveAsync(PublicKey, CancellationToken.None);
        var parsed = EnvelopeParser.Parse(envelope, IngestLimits.Default);
        await Services.GetRequiredService<ItemRecorder>().RecordAsync(key!, parsed, received ?? DateTimeOffset.UtcNow, CancellationToken.None);
    }

    public async Task<HttpResponseMessage> GetAsync(string path) => await Http.GetAsync(Url + path);

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(Url + path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The accepted quantity per category from the outcomes endpoint.</summary>
    public async Task<Dictionary<string, long>> OutcomesAsync()
    {
        var stats = await GetJsonAsync("/api/0/projects/acme/web/stats/outcomes/?statsPeriod=1d");
        return stats["groups"]!.AsArray().Where(g => g!["by"]!["outcome"]!.GetValue<string>() == "accepted").ToDictionary(
            g => g!["by"]!["category"]!.GetValue<string>(),
            g => g!["totals"]!["sum(quantity)"]!.GetValue<long>());
    }

    /// <summary>Every stored item of the project as (type, category, payload text), in storage order, read from the database itself.</summary>
    public IReadOnlyList<(string Type, string? Category, string Payload)> StoredItems()
    {
        _ = Items; // the store creates its tables when first resolved
        return Services.GetRequiredService<SqliteDatabase>().Read(ProjectId, static (connection, projectId) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT item_type, category, payload_encoding, stored_size, payload FROM project_items WHERE project_id = @p ORDER BY id";
            command.Parameters.AddWithValue("@p", projectId);
            using var reader = command.ExecuteReader();
            var items = new List<(string, string?, string)>();
            while (reader.Read())
            {
                var payload = reader.GetFieldValue<byte[]>(4);
                if (reader.GetString(2) == "br")
                {
                    var raw = new byte[reader.GetInt64(3)];
                    Assert.True(BrotliDecoder.TryDecompress(payload, raw, out _));
                    payload = raw;
                }

                items.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), Encoding.UTF8.GetString(payload)));
            }

            return items;
        });
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(string path, HttpStatusCode status, int timeoutMs = 5_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            using var response = await Http.GetAsync(Url + path);
            if (response.StatusCode == status)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"GET {path} still answers {(int)response.StatusCode} after {timeoutMs} ms");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="condition"/> holds (events reach issues asynchronously).</summary>
    public async Task<JsonNode> WaitForJsonAsync(string path, Func<JsonNode, bool> condition, int timeoutMs = 5_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var node = await GetJsonAsync(path);
            if (condition(node))
            {
                return node;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"GET {path} did not reach the expected state within {timeoutMs} ms: {node.ToJsonString()}");
            }

            await Task.Delay(25);
        }
    }
}
