using Grains.Monitoring.Postgres;
using Grains.Monitoring.Storage.Tests.Backends;
using Npgsql;

namespace Grains.Monitoring.Storage.Tests.Postgres;

/// <summary>The PostgreSQL issue store's group commit: concurrent batch writes of a silo's issue grains share transactions.</summary>
public sealed class PostgresIssueGroupCommitTests : StoreTests<PostgresBackend>
{
    private PostgresIssueStore Store => (PostgresIssueStore)Db.Issues;

    private static IssueBatchWrite Write(long issueId, int events = 3)
    {
        var rows = Enumerable.Range(0, events).Select(n => IssueBatchStoreTests<PostgresBackend>.Event(IssueBatchStoreTests<PostgresBackend>.Id((int)(issueId * 100) + n), issueId, issueId * 100 + n)).ToList();
        return IssueBatchStoreTests<PostgresBackend>.Write(issueId, rows, issueId * 100 + events);
    }

    [Fact]
    public async Task Many_concurrent_callers_from_different_issues_commit_in_few_groups_with_every_row()
    {
        const int Callers = 120;
        await Store.CommitAsync(Write(Callers + 1)); // the schema and the pool are ready: the callers below only queue
        var before = Store.CommittedGroups;

        await Task.WhenAll(Enumerable.Range(1, Callers).Select(i => Store.CommitAsync(Write(i))));

        var groups = Store.CommittedGroups - before;
        Assert.True(groups <= Callers / 4, $"{Callers} callers took {groups} groups");
        Assert.Equal(3L * (Callers + 1), Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events"))[0]);
        Assert.Equal((long)Callers + 1, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM issues"))[0]);
        Assert.Equal(3L * (Callers + 1), Assert.Single(await Db.QueryAsync("SELECT CAST(SUM(times_seen) AS BIGINT) FROM issue_tags"))[0]);
        Assert.Equal((long)Callers + 1, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM issues WHERE applied_offset = id * 100 + 3"))[0]);
    }

    [Fact]
    public async Task A_failing_statement_fails_every_caller_of_its_group_and_leaves_none_of_their_rows()
    {
        await Store.CommitAsync(Write(1));

        // A lock on issue 1 holds the next group in flight, so every later caller queues into the group after it.
        await using var blocker = new NpgsqlConnection(Db.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("UPDATE issues SET title = title WHERE id = 1", blocker, transaction))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        var held = Store.CommitAsync(Write(1) with { Events = [] });
        await WaitUntilAsync(async () => Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()"))[0] is long waiting && waiting > 0);

        var bad = Write(30);
        bad = bad with { Snapshot = bad.Snapshot with { Hashes = [("hash30", null!)] } }; // NOT NULL fails on the server
        var callers = Enumerable.Range(2, 20).Select(i => Store.CommitAsync(Write(i))).Append(Store.CommitAsync(bad)).ToArray();
        await transaction.RollbackAsync();
        await held;

        foreach (var caller in callers)
        {
            await Assert.ThrowsAsync<PostgresException>(() => caller);
        }

        Assert.Equal(3L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events"))[0]);
        Assert.Equal(1L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM issues"))[0]);
        Assert.Equal(3L, Assert.Single(await Db.QueryAsync("SELECT CAST(SUM(times_seen) AS BIGINT) FROM issue_tags"))[0]);

        // Each caller alone (as Orleans' redelivery would retry them) commits, the bad one still fails.
        await Task.WhenAll(Enumerable.Range(2, 20).Select(i => Store.CommitAsync(Write(i))));
        Assert.Equal(21L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM issues"))[0]);
    }

    [Fact]
    public async Task A_stale_checkpoint_in_a_group_fails_alone_and_the_others_commit_in_that_group()
    {
        await Store.CommitAsync(Write(1) with { Checkpoint = new IssueCheckpoint([1], 1) });

        // Hold the next group on a lock of issue 1 so the callers below queue into one group.
        await using var blocker = new NpgsqlConnection(Db.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("UPDATE issues SET title = title WHERE id = 1", blocker, transaction))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        var held = Store.CommitAsync(Write(1) with { Events = [], Checkpoint = new IssueCheckpoint([2], 2) });
        await WaitUntilAsync(async () => Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()"))[0] is long waiting && waiting > 0);
        var before = Store.CommittedGroups;

        // Issue 1 again, from an activation that read version 1 before the held caller wrote version 2: stale, with new events.
        var staleRows = Enumerable.Range(0, 3).Select(n => IssueBatchStoreTests<PostgresBackend>.Event(IssueBatchStoreTests<PostgresBackend>.Id(5000 + n), 1, 5000 + n)).ToList();
        var stale = Store.CommitAsync(IssueBatchStoreTests<PostgresBackend>.Write(1, staleRows, 5002) with { Checkpoint = new IssueCheckpoint([9], 2) });
        var callers = Enumerable.Range(2, 20).Select(i => Store.CommitAsync(Write(i) with { Checkpoint = new IssueCheckpoint([(byte)i], 1) })).ToArray();
        await transaction.RollbackAsync();
        await held;

        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => stale);
        await Task.WhenAll(callers);
        Assert.True(Store.CommittedGroups - before <= 3, $"{Store.CommittedGroups - before} groups");

        Assert.Equal(0L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events WHERE stream_offset >= 5000"))[0]);
        Assert.Equal(3L * 21, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events"))[0]);
        Assert.Equal(2, (await Store.GetCheckpointAsync(1))!.Version);
        Assert.Equal(20L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM issues WHERE state_version = 1"))[0]);
        Assert.Equal(3L, Assert.Single(await Db.QueryAsync("SELECT CAST(SUM(times_seen) AS BIGINT) FROM issue_tags WHERE issue_id = 1"))[0]);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
