using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Storage;
using Grains.Server.Seeding;
using Grains.Server.Tests.Ingest;
using Grains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Grains.Server.Tests.Storage;

public sealed class PostgresStorageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_server_on_postgres_takes_an_event_at_the_store_endpoint_and_serves_its_issue()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("srv");
        var data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        var token = "grains_pg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var (app, url) = PostgresServer.Build(connectionString, data, new Dictionary<string, string?> { ["Grains:AdminToken"] = token });
        await using var _ = app;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await app.StartAsync();
        // In a cluster the seeding runs once the host has started.
        await app.Services.GetRequiredService<FirstStartSeeder>().Seeded.WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"started in {clock.ElapsedMilliseconds} ms");
        try
        {
            Assert.IsType<PostgresIssueStore>(app.Services.GetRequiredService<IIssueStore>());
            var directory = app.Services.GetRequiredService<IDirectoryStore>();
            var organization = (await directory.GetOrganizationAsync("default"))!;
            var project = (await directory.GetProjectAsync(organization.Id, "default"))!;
            var key = Assert.Single(await directory.ListKeysAsync(project.Id));

            // The configured admin token is accepted; nothing was generated into the data directory.
            Assert.NotNull(await directory.FindTokenAsync(ApiTokens.Hash(token)));
            Assert.False(File.Exists(Path.Combine(data, "admin-token")));

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var eventId = Envelopes.NewEventId();
            var title = "on postgres " + eventId[..8];
            using (var store = new HttpRequestMessage(HttpMethod.Post, $"/api/{project.Id}/store/"))
            {
                store.Content = new StringContent(Envelopes.ErrorEvent(eventId, "TypeError", title, user: "u1").ToJsonString(), Encoding.UTF8, "application/json");
                store.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={key.PublicKey}, sentry_version=7, sentry_client=grains-tests/1.0");
                using var stored = await http.SendAsync(store);
                Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
                Assert.Equal($"{{\"id\":\"{eventId}\"}}", await stored.Content.ReadAsStringAsync());
            }

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var issue = await WaitForIssueAsync(http, "/api/0/projects/default/default/issues/", title);
            output.WriteLine($"issue listed at {clock.ElapsedMilliseconds} ms");
            Assert.Equal($"TypeError: {title}", issue["title"]!.GetValue<string>());
            Assert.Equal("1", issue["count"]!.ToString());

            using var detail = await http.GetAsync($"/api/0/issues/{issue["id"]!.GetValue<string>()}/");
            Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
            Assert.Equal(title, JsonNode.Parse(await detail.Content.ReadAsStringAsync())!["metadata"]!["value"]!.GetValue<string>());
            Assert.NotNull(await app.Services.GetRequiredService<IEventStore>().GetAsync(project.Id, eventId));
        }
        finally
        {
            await app.StopAsync();
            output.WriteLine($"stopped at {clock.ElapsedMilliseconds} ms");
            DeleteQuietly(data);
        }
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_a_clear_start_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:Storage:Provider"] = "Postgres";
            builder.Configuration["Grains:Cluster:Secret"] = PostgresServer.ClusterSecret;
            builder.Configuration["ConnectionStrings:grains"] = "";
        }));
        Assert.Contains("ConnectionStrings:grains", error.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<InvalidOperationException>(() => GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
            builder.Configuration["Grains:Storage:Provider"] = "mysql"));
        Assert.Contains("mysql", unknown.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> WaitForIssueAsync(HttpClient http, string path, string title)
    {
        // No timing assumption: a loaded machine may take long, the bound only stops a broken run.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
            var found = JsonNode.Parse(body)!.AsArray().FirstOrDefault(i => i!["title"]!.GetValue<string>().Contains(title, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No issue titled '{title}' listed: {body}");
            await Task.Delay(50);
        }
    }

    internal static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
