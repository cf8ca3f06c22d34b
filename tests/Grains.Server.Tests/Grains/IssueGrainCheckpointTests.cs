using System.Text.Json.Nodes;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Sqlite;
using Grains.Monitoring.Storage;
using Grains.Server.Tests.Api;
using Grains.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Grains.Server.Tests.Grains;

/// <summary>
/// The issue grain's state as the checkpoint in each batch's commit: a commit that fails before it wrote
/// and one whose answer is lost after it wrote both count their events once (the failed turn re-reads
/// the stored state), and an issue whose state is only in Orleans' storage (written by the older
/// version) keeps its counts.
/// </summary>
public sealed class IssueGrainCheckpointTests(IssueGrainCheckpointTests.Server server) : IClassFixture<IssueGrainCheckpointTests.Server>
{
    private const string Org = "checkpoint-org";

    /// <summary>A server whose issue batch store is <see cref="Batches"/> over the real one (registered last).</summary>
    public sealed class Server : ApiServer
    {
        public FlakyIssueBatches Batches { get; } = new();

        protected override void Configure(WebApplicationBuilder builder) =>
            builder.Host.UseServiceProviderFactory(new LastWordFactory(services => services.AddSingleton<IIssueBatchStore>(sp =>
            {
                Batches.Inner = sp.GetRequiredService<SqliteIssueStore>();
                return Batches;
            })));
    }

    private static JsonObject Event(string eventId, string fingerprint) => new()
    {
        ["event_id"] = eventId,
        ["platform"] = "node",
        ["level"] = "error",
        ["message"] = fingerprint,
        ["fingerprint"] = new JsonArray(fingerprint),
    };

    [Fact]
    public async Task Commits_failing_before_or_after_they_wrote_count_each_event_once()
    {
        var slug = "f" + Guid.NewGuid().ToString("N")[..8];
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        var before = Guid.NewGuid().ToString("N");
        var after = Guid.NewGuid().ToString("N");
        server.Batches.FailBefore[before] = 1;
        server.Batches.FailAfter[after] = 1;

        await server.IngestAsync(projectId, key, Event(before, "before-" + slug));
        await server.IngestAsync(projectId, key, Event(after, "after-" + slug));
        var issues = $"/api/0/projects/{Org}/{slug}/issues/";
        await server.WaitAsync(issues, r => Counts(r) == "1,1", 20_000);
        Assert.Equal(0, server.Batches.FailBefore[before]);
        Assert.Equal(0, server.Batches.FailAfter[after]);

        // One more event each: the redelivered batches (and the re-read states) must not have counted twice.
        await server.IngestAsync(projectId, key, Event(Guid.NewGuid().ToString("N"), "before-" + slug));
        await server.IngestAsync(projectId, key, Event(Guid.NewGuid().ToString("N"), "after-" + slug));
        var final = await server.WaitAsync(issues, r => Counts(r) is "2,2" or "2,3" or "3,3", 20_000);
        Assert.Equal("2,2", Counts(final));
    }

    [Fact]
    public async Task An_issue_whose_state_is_only_in_Orleans_storage_keeps_its_counts()
    {
        var slug = "u" + Guid.NewGuid().ToString("N")[..8];
        var (projectId, key) = await server.CreateProjectAsync(Org, slug);
        var issues = $"/api/0/projects/{Org}/{slug}/issues/";
        for (var i = 0; i < 3; i++)
        {
            await server.IngestAsync(projectId, key, Event(Guid.NewGuid().ToString("N"), "upgrade-" + slug));
        }

        var listed = await server.WaitAsync(issues, r => Counts(r) == "3");
        var issueId = long.Parse(listed.Json![0]!["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        // Make the issue look as the older version left it: the state (with its counts and offset) in
        // Orleans' grain storage, none in the issue row.
        var checkpoint = await server.Batches.GetCheckpointAsync(issueId);
        Assert.NotNull(checkpoint);
        var state = server.Services.GetRequiredService<Serializer>().Deserialize<IssueState>(checkpoint.State);
        Assert.NotNull(state);
        Assert.Equal(3, state.TimesSeen);
        var grainKey = await server.Issues.GetGrainKeyAsync(issueId);
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var grainId = grains.GetGrain<IIssueGrain>(grainKey!).GetGrainId();
        var storage = server.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var stored = new GrainState<IssueState>();
        await storage.ReadStateAsync("issue", grainId, stored);
        Assert.NotNull(stored.State);
        Assert.Equal(0, stored.State.TimesSeen); // the identity only: every count is in the checkpoint
        stored.State = state;
        await storage.WriteStateAsync("issue", grainId, stored);
        await server.Services.GetRequiredService<SqliteDatabase>().WriteAsync("test.clear", connection =>
        {
            using var clear = connection.CreateCommand();
            clear.CommandText = "UPDATE issues SET grain_state = NULL, state_version = 0";
            return clear.ExecuteNonQuery();
        });
        Assert.Null(await server.Batches.GetCheckpointAsync(issueId));
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        await server.IngestAsync(projectId, key, Event(Guid.NewGuid().ToString("N"), "upgrade-" + slug));
        var final = await server.WaitAsync(issues, r => Counts(r) is "4" or "1", 20_000);
        Assert.Equal("4", Counts(final));
        Assert.Equal(4, (await grains.GetGrain<IIssueGrain>(grainKey!).GetAsync())!.TimesSeen);
        Assert.True((await server.Batches.GetCheckpointAsync(issueId))!.Version >= 1);
    }

    /// <summary>The issues' counts in the list, sorted (an empty list: "").</summary>
    private static string Counts(ApiResponse response) =>
        response.Status != 200 ? "" : string.Join(',', response.Json!.AsArray().Select(i => i!["count"]!.GetValue<string>()).Order(StringComparer.Ordinal));
}
