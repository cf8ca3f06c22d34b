using System.Net;
using System.Text;
using Azure.Data.Tables;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Storage;

namespace Grains.Azure.Tests;

/// <summary>
/// <c>Grains:Storage:Provider=azure</c> on a real server against Azurite: the silo joins the Azure
/// membership table, issue state goes to the Azure grain-state table and a new server reads it, and a
/// write with a stale ETag is rejected.
/// </summary>
public sealed class AzureStorageTests(Azurite azurite) : IClassFixture<Azurite>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Issue_state_kept_in_Azure_tables_is_read_by_the_next_server()
    {
        var prefix = AzureServer.UniquePrefix("state");
        var data = AzureServer.TempDirectory();
        try
        {
            string grainKey;
            await using (var first = AzureServer.Build(data, AzureServer.OnAzure(azurite.ConnectionString, prefix)))
            {
                await first.StartAsync();
                var (projectId, publicKey) = await SeedAsync(first);
                await PostEventAsync(first, projectId, publicKey, "azure-round-trip");
                var issue = await WaitAsync("the event's issue", () => FirstIssueAsync(first, projectId), found => found is not null);
                grainKey = issue!.GrainKey;
                await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IIssueGrain>(grainKey)
                    .UpdateStatusAsync(new IssueStatusUpdate("resolved", null, null));

                var members = await EntitiesAsync(prefix + "Members");
                Assert.Contains(members, row => row.TryGetValue("Status", out var status) && status is "Active");
                await first.StopAsync();
            }

            // The SQLite file keeps the log, the events and the query store; Orleans' grain state is only in Azure
            // (no SQLite grain storage is registered), keyed by the service id.
            var stored = await EntitiesAsync(prefix + "State");
            Assert.Contains(stored, row => row.PartitionKey.StartsWith(prefix, StringComparison.Ordinal));

            await using (var second = AzureServer.Build(data, AzureServer.OnAzure(azurite.ConnectionString, prefix)))
            {
                await second.StartAsync();
                var record = await second.Services.GetRequiredService<IGrainFactory>().GetGrain<IIssueGrain>(grainKey).GetAsync();
                Assert.NotNull(record);
                Assert.Equal("resolved", record.Status);
                Assert.Equal(1, record.TimesSeen);
                await second.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_is_rejected_and_state_uses_the_Orleans_serializer()
    {
        var prefix = AzureServer.UniquePrefix("etag");
        var data = AzureServer.TempDirectory();
        try
        {
            await using var server = AzureServer.Build(data, AzureServer.OnAzure(azurite.ConnectionString, prefix));
            await server.StartAsync();
            var options = server.Services.GetRequiredService<IOptionsMonitor<AzureTableStorageOptions>>().Get(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
            Assert.IsType<OrleansGrainStorageSerializer>(options.GrainStorageSerializer);
            Assert.Equal(prefix + "State", options.TableName);

            var storage = server.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
            var grain = GrainId.Create("test", Guid.NewGuid().ToString("N"));
            var mine = new GrainState<IssueState>();
            var theirs = new GrainState<IssueState>();
            await storage.ReadStateAsync("s", grain, mine);
            await storage.ReadStateAsync("s", grain, theirs);

            mine.State!.Title = "first";
            await storage.WriteStateAsync("s", grain, mine);
            theirs.State!.Title = "stale";
            await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", grain, theirs));

            var read = new GrainState<IssueState>();
            await storage.ReadStateAsync("s", grain, read);
            Assert.Equal("first", read.State!.Title);
            Assert.Equal(mine.ETag, read.ETag);
            await server.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private async Task<List<TableEntity>> EntitiesAsync(string table)
    {
        var client = new TableServiceClient(azurite.ConnectionString).GetTableClient(table);
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<(long ProjectId, string PublicKey)> SeedAsync(WebApplication app)
    {
        var directory = app.Services.GetRequiredService<IDirectoryStore>();
        var organization = await directory.CreateOrganizationAsync("acme", "Acme");
        var project = await directory.CreateProjectAsync(organization.Id, "web", "Web", "node");
        var key = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(project.Id).CreateKeyAsync("Default");
        return (project.Id, key.PublicKey);
    }

    private static async Task PostEventAsync(WebApplication app, long projectId, string publicKey, string message)
    {
        using var http = new HttpClient();
        var body = $$"""{"event_id":"{{Guid.NewGuid():N}}","platform":"node","level":"error","message":"{{message}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{app.Urls.First().TrimEnd('/')}/api/{projectId}/store/")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Sentry-Auth", $"Sentry sentry_key={publicKey}, sentry_version=7, sentry_client=test/1.0");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<IssueRecord?> FirstIssueAsync(WebApplication app, long projectId)
    {
        var page = await app.Services.GetRequiredService<IIssueStore>().QueryAsync(new IssueQuery { ProjectIds = [projectId], Query = "", Limit = 10 });
        return page.Issues.FirstOrDefault();
    }

    private static async Task<T> WaitAsync<T>(string what, Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        T value;
        while (!done(value = await read()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Deadline.TotalSeconds} s for {what}.");
            }

            await Task.Delay(50);
        }

        return value;
    }
}
