using System.Text;
using Grains.Monitoring.Alerts;
using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage.Tests.Backends;
using Orleans.Storage;

namespace Grains.Monitoring.Storage.Tests;

/// <summary><see cref="IIssueBatchStore"/>: one atomic commit per delivered batch, and the read that tells stored event ids.</summary>
public abstract class IssueBatchStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private IIssueBatchStore Batches => (IIssueBatchStore)Db.Issues;

    internal static StoredEvent Event(string id, long issueId, long offset) => new()
    {
        ProjectId = 1,
        EventId = id,
        IssueId = issueId,
        Timestamp = T0.AddSeconds(offset),
        Received = T0.AddSeconds(offset + 1),
        StreamOffset = offset,
        Title = "TypeError: x",
        Message = "x is undefined",
        Platform = "javascript",
        Json = Encoding.UTF8.GetBytes($"{{\"event_id\":\"{id}\"}}"),
    };

    internal static string Id(int n) => n.ToString("x32");

    /// <summary>A batch of <paramref name="events"/> for issue <paramref name="issueId"/>: tag and hourly deltas of one per event, at the last event's offset.</summary>
    internal static IssueBatchWrite Write(long issueId, IReadOnlyList<StoredEvent> events, long offset, WorkflowWrite? workflow = null) => new(
        events,
        Issues.Snapshot(Issues.Record(issueId, change: r => r with { TimesSeen = events.Count }), Issues.Tag("level", "error", events.Count)) with
        {
            HourlyCounts = [new(Issues.Now.ToUnixTimeSeconds() / 3600 * 3600, events.Count)],
            StreamOffset = offset,
        },
        workflow);

    [Fact]
    public async Task A_batch_commits_its_events_snapshot_deltas_and_workflow()
    {
        var activity = new IssueActivity("1:11:first_seen", 1, ActivityTypes.FirstSeen, "{}", T0);
        var workflow = new WorkflowWrite(1, "1:hash1", [], [activity], T0.AddDays(1));

        await Batches.CommitAsync(Write(1, [Event(Id(1), 1, 10), Event(Id(2), 1, 11)], 11, workflow));

        Assert.NotNull(await Db.Events.GetAsync(1, Id(1)));
        Assert.NotNull(await Db.Events.GetAsync(1, Id(2)));
        Assert.Equal(2, (await Db.Issues.GetAsync(1))!.TimesSeen);
        Assert.Equal(2, Assert.Single(Assert.Single(await Db.Issues.GetTagsAsync(1, 5)).TopValues).Count);
        Assert.Equal(2L, Assert.Single(await Db.QueryAsync("SELECT CAST(SUM(event_count) AS BIGINT) FROM issue_hourly WHERE issue_id = 1"))[0]);
        Assert.Equal(1L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM issue_activities WHERE issue_id = 1"))[0]);
        Assert.Equal(1L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM issue_workflow_due WHERE issue_id = 1"))[0]);
    }

    [Fact]
    public async Task A_failing_batch_leaves_nothing()
    {
        // The hash link's NOT NULL config fails on the server, after the events and the summary were sent.
        var write = Write(1, [Event(Id(1), 1, 10)], 10);
        write = write with { Snapshot = write.Snapshot with { Hashes = [("hash1", null!)] } };

        await Assert.ThrowsAnyAsync<Exception>(() => Batches.CommitAsync(write));

        Assert.Null(await Db.Events.GetAsync(1, Id(1)));
        Assert.Null(await Db.Issues.GetAsync(1));
        Assert.Empty(await Db.QueryAsync("SELECT * FROM issue_tags"));
        Assert.Empty(await Db.QueryAsync("SELECT * FROM issue_hourly"));
    }

    [Fact]
    public async Task A_redelivered_batch_adds_no_rows_and_no_deltas_twice()
    {
        var write = Write(1, [Event(Id(1), 1, 10), Event(Id(2), 1, 11)], 11);
        await Batches.CommitAsync(write);
        await Batches.CommitAsync(write);

        Assert.Equal(2L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events"))[0]);
        Assert.Equal(2, Assert.Single(Assert.Single(await Db.Issues.GetTagsAsync(1, 5)).TopValues).Count);
        Assert.Equal(2L, Assert.Single(await Db.QueryAsync("SELECT CAST(SUM(event_count) AS BIGINT) FROM issue_hourly"))[0]);
    }

    [Fact]
    public async Task An_id_already_stored_keeps_its_first_row_and_the_rest_of_the_batch_commits()
    {
        await Batches.CommitAsync(Write(1, [Event(Id(1), 1, 10)], 10));

        // The last guard when two issues race one event id: the insert skips it, the batch still commits.
        await Batches.CommitAsync(Write(2, [Event(Id(1), 2, 20), Event(Id(3), 2, 21)], 21));

        Assert.Equal(1, (await Db.Events.GetAsync(1, Id(1)))!.IssueId);
        Assert.Equal(10, (await Db.Events.GetAsync(1, Id(1)))!.StreamOffset);
        Assert.NotNull(await Db.Events.GetAsync(1, Id(3)));
        Assert.NotNull(await Db.Issues.GetAsync(2));
    }

    [Fact]
    public async Task Duplicates_inside_one_batch_store_the_first()
    {
        await Batches.CommitAsync(Write(1, [Event(Id(1), 1, 10), Event(Id(1), 1, 11)], 11));

        var row = Assert.Single(await Db.QueryAsync("SELECT stream_offset FROM events"));
        Assert.Equal(10L, row[0]);
    }

    [Fact]
    public async Task Stored_offsets_tell_a_redelivery_from_an_SDK_retry()
    {
        await Batches.CommitAsync(Write(1, [Event(Id(1), 1, 10), Event(Id(2), 1, 11)], 11));

        var offsets = await Batches.GetEventOffsetsAsync(1, [Id(1), Id(2), Id(3)]);

        Assert.Equal(2, offsets.Count);
        Assert.Equal(10, offsets[Id(1)]);
        Assert.Equal(11, offsets[Id(2)]);
        Assert.False(offsets.ContainsKey(Id(3)));
        Assert.Empty(await Batches.GetEventOffsetsAsync(2, [Id(1)])); // another project
        Assert.Empty(await Batches.GetEventOffsetsAsync(1, []));
    }

    private static IssueCheckpoint Checkpoint(long version, string text = "state") => new(Encoding.UTF8.GetBytes($"{text} v{version}"), version);

    [Fact]
    public async Task A_checkpoint_commits_with_the_rows_and_reads_back_at_its_version()
    {
        Assert.Null(await Batches.GetCheckpointAsync(1)); // no row
        await Batches.CommitAsync(Write(1, [Event(Id(1), 1, 10)], 10) with { Checkpoint = Checkpoint(1) });
        await Batches.CommitAsync(Write(1, [Event(Id(2), 1, 11)], 11) with { Checkpoint = Checkpoint(2) });

        var stored = await Batches.GetCheckpointAsync(1);
        Assert.NotNull(stored);
        Assert.Equal(2, stored.Version);
        Assert.Equal("state v2", Encoding.UTF8.GetString(stored.State));
        Assert.Equal(2L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events"))[0]);
        Assert.Equal(2, Assert.Single(Assert.Single(await Db.Issues.GetTagsAsync(1, 5)).TopValues).Count);
    }

    public static TheoryData<long, long> StaleVersions => new()
    {
        { 1, 1 }, // a second activation that read no checkpoint (version 0) after the first wrote version 1
        { 1, 3 }, // expects version 2: ahead of the stored one
        { 2, 1 }, // expects version 1 after version 2 was written
        { 0, 2 }, // expects version 1 of an issue without a row (deleted)
    };

    [Theory]
    [MemberData(nameof(StaleVersions))]
    public async Task A_stale_checkpoint_fails_and_commits_none_of_its_rows_deltas_or_workflow(long storedVersion, long writtenVersion)
    {
        for (var v = 1; v <= storedVersion; v++)
        {
            await Batches.CommitAsync(Write(1, [Event(Id(v), 1, v)], v) with { Checkpoint = Checkpoint(v) });
        }

        var activity = new IssueActivity("1:50:first_seen", 1, ActivityTypes.FirstSeen, "{}", T0);
        var stale = Write(1, [Event(Id(50), 1, 50)], 50, new WorkflowWrite(1, "1:hash1", [], [activity], T0.AddDays(1)))
            with { Checkpoint = Checkpoint(writtenVersion, "stale"), Firings = new([Firing("f50", Id(50))], T0) };

        await Assert.ThrowsAsync<InconsistentStateException>(() => Batches.CommitAsync(stale));

        Assert.Null(await Db.Events.GetAsync(1, Id(50)));
        Assert.Empty(await Db.QueryAsync("SELECT * FROM alert_firings"));
        Assert.Empty(await Db.QueryAsync("SELECT * FROM issue_activities"));
        Assert.Equal(storedVersion, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events"))[0]);
        var stored = await Batches.GetCheckpointAsync(1);
        if (storedVersion == 0)
        {
            Assert.Null(stored);
            Assert.Null(await Db.Issues.GetAsync(1));
            Assert.Empty(await Db.QueryAsync("SELECT * FROM issue_hourly"));
            return;
        }

        Assert.Equal($"state v{storedVersion}", Encoding.UTF8.GetString(stored!.State));
        Assert.Equal(1, (await Db.Issues.GetAsync(1))!.TimesSeen); // the summary of the last good batch (one event each)
        Assert.Equal(storedVersion, Assert.Single(Assert.Single(await Db.Issues.GetTagsAsync(1, 5)).TopValues).Count);
        Assert.Equal(storedVersion, Assert.Single(await Db.QueryAsync("SELECT CAST(SUM(event_count) AS BIGINT) FROM issue_hourly"))[0]);
    }

    private static AlertFiring Firing(string id, string eventId) => new(id.PadLeft(32, '0'), 1, 1, 7, "rule", eventId, T0, "[]", ["first_seen"]);

    [Fact]
    public async Task A_batchs_firings_commit_with_it_and_a_redelivered_batch_stores_none_twice()
    {
        var firings = new IssueBatchFirings([Firing("b", Id(1)), Firing("a", Id(2))], T0);
        var write = Write(1, [Event(Id(1), 1, 10), Event(Id(2), 1, 11)], 11) with { Checkpoint = Checkpoint(1), Firings = firings };
        await Batches.CommitAsync(write);
        await Batches.CommitAsync(write with { Events = [], Checkpoint = Checkpoint(2) }); // the same firings again

        var stored = await Db.QueryAsync("SELECT id, event_id, rule_id, expanded FROM alert_firings ORDER BY id");
        Assert.Equal([Firing("a", Id(2)).Id, Firing("b", Id(1)).Id], stored.Select(r => (string)r[0]!));
        Assert.Equal([Id(2), Id(1)], stored.Select(r => (string)r[1]!));
        Assert.All(stored, r => Assert.Equal(0L, Convert.ToInt64(r[3], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task An_issue_row_written_without_a_state_takes_its_first_checkpoint()
    {
        // An issue of the older version: its row has counts, its state is in Orleans' storage.
        await Batches.CommitAsync(Write(1, [Event(Id(1), 1, 10)], 10));
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1)));
        Assert.Null(await Batches.GetCheckpointAsync(1));

        await Batches.CommitAsync(Write(1, [Event(Id(2), 1, 11)], 11) with { Checkpoint = Checkpoint(1) });

        Assert.Equal(1, (await Batches.GetCheckpointAsync(1))!.Version);
        Assert.Equal(2, Assert.Single(Assert.Single(await Db.Issues.GetTagsAsync(1, 5)).TopValues).Count);

        // A snapshot saved without a checkpoint (not the grain's path) leaves the state as it is.
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1)));
        Assert.Equal("state v1", Encoding.UTF8.GetString((await Batches.GetCheckpointAsync(1))!.State));
    }

    [Fact]
    public async Task A_batch_without_new_events_writes_the_snapshot()
    {
        await Batches.CommitAsync(Write(1, [], 10));

        Assert.NotNull(await Db.Issues.GetAsync(1));
        Assert.Empty(await Db.QueryAsync("SELECT * FROM events"));
    }
}

public sealed class SqliteIssueBatchStoreTests : IssueBatchStoreTests<SqliteBackend>;

public sealed class PostgresIssueBatchStoreTests : IssueBatchStoreTests<PostgresBackend>;
