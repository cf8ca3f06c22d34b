using System.Net;
using System.Text;
using Grains.Monitoring.Events;
using Grains.Monitoring.Storage;
using Grains.Server.Tests.Ingest;
using Grains.Streaming;
using Grains.Streaming.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Grains.Monitoring.Projects;

namespace Grains.Server.Tests.Grains;

/// <summary>
/// The issue grain under Orleans' at-least-once delivery: events delivered again are applied once,
/// and a poison item is set aside with its error without stalling its stream.
/// </summary>
public sealed class IssueGrainDeliveryTests(IngestServer server) : IClassFixture<IngestServer>
{
    private const int Fingerprints = 6;
    private const int EventsPerFingerprint = 10;

    [Fact]
    public async Task Events_delivered_again_after_the_checkpoints_were_reset_are_applied_once()
    {
        var data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            long projectId;
            string publicKey;
            await using (var first = Build(data))
            {
                await first.StartAsync();
                (projectId, publicKey) = await SeedAsync(first);
                using var http = new HttpClient();
                var url = first.Urls.First().TrimEnd('/');
                for (var i = 0; i < Fingerprints * EventsPerFingerprint; i++)
                {
                    await PostAsync(http, url, projectId, publicKey, $"redelivery-{(char)('a' + (i % Fingerprints))}");
                }

                await WaitAsync("every event to be counted", () => CountsAsync(first, projectId), counts => counts.Values.Sum() == Fingerprints * EventsPerFingerprint);
                var firstCounts = await CountsAsync(first, projectId);
                Assert.True(firstCounts.Count == Fingerprints, "first run: " + string.Join(", ", firstCounts.Select(c => $"{c.Key} x{c.Value}")));
                await WaitAsync("the checkpoints to reach the log's end", () => Task.FromResult(Unreleased(data)), unreleased => unreleased == 0);
                await first.StopAsync();
            }

            var before = StoredEvents(data);
            Assert.Equal(Fingerprints * EventsPerFingerprint, before);

            // Every item of the log becomes undelivered again, as after a crash right after it was appended.
            using (var connection = Open(data))
            {
                using var reset = connection.CreateCommand();
                reset.CommandText = "UPDATE grains_log_checkpoints SET checkpoint_offset = 0";
                Assert.True(reset.ExecuteNonQuery() > 0);
            }

            Assert.Equal(Fingerprints * EventsPerFingerprint, Unreleased(data));
            await using (var second = Build(data))
            {
                await second.StartAsync();
                await WaitAsync("the log to be delivered again", () => Task.FromResult(Unreleased(data)), unreleased => unreleased == 0);
                var counts = await CountsAsync(second, projectId);
                Assert.True(counts.Count == Fingerprints, string.Join(", ", counts.Select(c => $"{c.Key} x{c.Value}")));
                Assert.All(counts.Values, count => Assert.Equal(EventsPerFingerprint, count));
                await second.StopAsync();
            }

            Assert.Equal(before, StoredEvents(data));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_poison_item_is_set_aside_with_its_error_and_the_next_event_of_its_issue_is_applied()
    {
        await PostAsync(server.Http, server.Url, server.ProjectId, server.PublicKey, "poison-neighbour");
        var issue = await server.WaitForIssueAsync("poison-neighbour");

        var producer = server.Services.GetRequiredKeyedService<DurableLogStreamProducer>(IngestStream.ProviderName);
        byte[] poison = [1, 2, 3];
        await producer.AppendAsync([new DurableLogMessage(IngestStream.For(issue.GrainKey), poison)]);
        await PostAsync(server.Http, server.Url, server.ProjectId, server.PublicKey, "poison-neighbour");

        await server.WaitForIssueAsync("poison-neighbour", i => i.TimesSeen == 2, timeoutMs: 15_000);
        var deadLetters = server.Services.GetRequiredService<SqliteDeadLetterStore>();
        var letter = Assert.Single(await deadLetters.ReadAsync(IngestStream.ProviderName, 0, 100), l => l.Stream.GetKeyAsString() == issue.GrainKey);
        Assert.Equal(poison, letter.Payload);
        Assert.Contains(nameof(InvalidDataException), letter.Error, StringComparison.Ordinal);
    }

    private static WebApplication Build(string data) =>
        GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = data;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Grains:Storage:Sqlite:TrimStreamOnCheckpoint"] = "false"; // keep what was delivered, to deliver it again
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        });

    private static async Task<(long ProjectId, string PublicKey)> SeedAsync(WebApplication app)
    {
        var directory = app.Services.GetRequiredService<IDirectoryStore>();
        var organization = await directory.CreateOrganizationAsync("acme", "Acme");
        var project = await directory.CreateProjectAsync(organization.Id, "web", "Web", "javascript");
        var key = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(project.Id).CreateKeyAsync("Default");
        return (project.Id, key.PublicKey);
    }

    private static async Task PostAsync(HttpClient http, string url, long projectId, string publicKey, string fingerprint)
    {
        var body = $$"""{"event_id":"{{Guid.NewGuid():N}}","platform":"node","level":"error","message":"{{fingerprint}}","fingerprint":["{{fingerprint}}"]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/{projectId}/store/") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Sentry-Auth", $"Sentry sentry_key={publicKey}, sentry_version=7, sentry_client=test/1.0");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(WebApplication app, long projectId)
    {
        var page = await app.Services.GetRequiredService<IIssueStore>().QueryAsync(new IssueQuery { ProjectIds = [projectId], Query = "", Limit = 100 });
        return page.Issues.ToDictionary(issue => issue.Title, issue => issue.TimesSeen);
    }

    private static async Task WaitAsync<T>(string what, Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        T value;
        while (!done(value = await read()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 60 s for {what}; last: {value}");
            }

            await Task.Delay(50);
        }
    }

    private static SqliteConnection Open(string data)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(data, "grains.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    // Items of the log above their partition's checkpoint (not yet released as processed).
    private static long Unreleased(string data)
    {
        using var connection = Open(data);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FROM grains_log l
            WHERE l.log_offset > coalesce((SELECT c.checkpoint_offset FROM grains_log_checkpoints c WHERE c.partition_id = l.partition_id), 0)
            """;
        return (long)command.ExecuteScalar()!;
    }

    private static long StoredEvents(string data)
    {
        using var connection = Open(data);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events";
        return (long)command.ExecuteScalar()!;
    }
}
