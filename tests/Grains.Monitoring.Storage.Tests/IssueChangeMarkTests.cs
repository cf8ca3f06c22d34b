using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Sqlite;
using Grains.Monitoring.Storage.Relational;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests;

/// <summary>The change mark live pages poll: it moves with a newer event or any activity, and only for the projects asked about.</summary>
public abstract class IssueChangeMarkTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private IWorkflowStore _workflow = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _workflow = Db switch
        {
            SqliteBackend sqlite => new SqliteWorkflowStore(sqlite.Database),
            PostgresBackend postgres => new PostgresWorkflowStore(postgres.Database),
            _ => throw new NotSupportedException(Db.Name),
        };
    }

    [Fact]
    public async Task Without_issues_the_mark_is_zero()
    {
        Assert.Equal(new IssueChangeMark(0, 0), await Db.Issues.GetChangeMarkAsync([1, 2]));
        Assert.Equal(new IssueChangeMark(0, 0), await Db.Issues.GetChangeMarkAsync([]));
    }

    [Fact]
    public async Task The_newest_last_seen_of_the_projects_asked_about_moves_the_mark()
    {
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1, projectId: 1, r => r with { LastSeen = Issues.Now.AddMinutes(-5) })));
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(2, projectId: 1, r => r with { LastSeen = Issues.Now.AddMinutes(-9) })));
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(3, projectId: 2, r => r with { LastSeen = Issues.Now })));

        Assert.Equal(StoreTime.ToMicroseconds(Issues.Now.AddMinutes(-5)), (await Db.Issues.GetChangeMarkAsync([1])).LastSeen);
        Assert.Equal(StoreTime.ToMicroseconds(Issues.Now), (await Db.Issues.GetChangeMarkAsync([1, 2])).LastSeen);

        var before = await Db.Issues.GetChangeMarkAsync([1]);
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(3, projectId: 2, r => r with { LastSeen = Issues.Now.AddMinutes(1) })));
        Assert.Equal(before, await Db.Issues.GetChangeMarkAsync([1]));

        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(2, projectId: 1, r => r with { LastSeen = Issues.Now.AddMinutes(2), TimesSeen = 5 })));
        Assert.NotEqual(before, await Db.Issues.GetChangeMarkAsync([1]));
    }

    [Fact]
    public async Task An_activity_such_as_a_status_change_moves_the_mark()
    {
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1)));
        var before = await Db.Issues.GetChangeMarkAsync([1]);

        await _workflow.SaveAsync(new WorkflowWrite(1, "1:hash1", [], [new IssueActivity("1:api:a", 1, ActivityTypes.SetResolved, "{}", Issues.Now)], null));
        var after = await Db.Issues.GetChangeMarkAsync([1]);

        Assert.Equal(before.LastSeen, after.LastSeen);
        Assert.True(after.LastActivityId > before.LastActivityId);
    }
}

public sealed class SqliteIssueChangeMarkTests : IssueChangeMarkTests<SqliteBackend>;

public sealed class PostgresIssueChangeMarkTests : IssueChangeMarkTests<PostgresBackend>;
