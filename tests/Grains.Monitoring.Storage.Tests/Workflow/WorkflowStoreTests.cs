using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Releases;
using Grains.Monitoring.Sqlite;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests.Workflow;

/// <summary>The workflow store on every backend: releases (min/max, idempotent), activities (keyed), due times.</summary>
public abstract class WorkflowStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private IWorkflowStore _store = null!;
    private long _organization;
    private long _project;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = Create();
        _organization = (await Db.Directory.CreateOrganizationAsync("wf", "Workflow")).Id;
        _project = (await Db.Directory.CreateProjectAsync(_organization, "web", "Web", "javascript")).Id;
    }

    private IWorkflowStore Create() => Db switch
    {
        SqliteBackend sqlite => new SqliteWorkflowStore(sqlite.Database),
        PostgresBackend postgres => new PostgresWorkflowStore(postgres.Database),
        _ => throw new NotSupportedException(Db.Name),
    };

    [Fact]
    public async Task Releases_keep_first_and_last_seen_and_a_repeated_write_changes_nothing()
    {
        var write = new WorkflowWrite(1, "1:h", [
            new ReleaseSeen(_project, "web@1.0.0", "", T0.AddMinutes(5), T0.AddMinutes(9)),
            new ReleaseSeen(_project, "web@1.0.0", "production", T0.AddMinutes(5), T0.AddMinutes(9)),
        ], [], null);
        await _store.SaveAsync(write);
        await _store.SaveAsync(write);
        await _store.SaveAsync(new WorkflowWrite(1, "1:h", [new ReleaseSeen(_project, "web@1.0.0", "", T0, T0.AddMinutes(7))], [], null));
        await _store.SaveAsync(new WorkflowWrite(2, "2:h", [new ReleaseSeen(_project, "web@1.0.0", "", T0.AddMinutes(6), T0.AddHours(1))], [], null));

        var release = Assert.Single(await _store.GetProjectReleasesAsync(_project));
        Assert.Equal(("web@1.0.0", T0, T0.AddHours(1)), (release.Version, release.FirstSeen, release.LastSeen));

        var rows = await _store.ListReleasesAsync(_organization);
        Assert.Equal(2, rows.Count);
        Assert.Single(rows.Select(r => r.Id).Distinct());
        Assert.Equal(T0, rows[0].DateCreated);
        Assert.Equal((T0.AddMinutes(5), T0.AddMinutes(9)), rows.Where(r => r.Environment == "production").Select(r => (r.FirstSeen, r.LastSeen)).Single());
        Assert.Empty(await _store.ListReleasesAsync(_organization + 1000));
    }

    [Fact]
    public async Task Activities_are_stored_once_per_key_newest_first()
    {
        var first = new IssueActivity("7:10:first_seen", 7, ActivityTypes.FirstSeen, "{}", T0);
        var resolved = new IssueActivity("7:api:x", 7, ActivityTypes.SetResolved, "{}", T0.AddMinutes(1));
        await _store.SaveAsync(new WorkflowWrite(7, "1:h", [], [first], T0.AddDays(7)));
        await _store.SaveAsync(new WorkflowWrite(7, "1:h", [], [first, resolved], null));

        var activities = await _store.GetActivitiesAsync(7);
        Assert.Equal([ActivityTypes.SetResolved, ActivityTypes.FirstSeen], activities.Select(a => a.Type).ToArray());
        Assert.All(activities, a => Assert.True(a.Id > 0));
        Assert.Equal(T0, activities[1].DateCreated);

        await _store.DeleteIssueAsync(7);
        Assert.Empty(await _store.GetActivitiesAsync(7));
    }

    [Fact]
    public async Task Due_issues_are_found_by_time_and_a_note_leaves_the_due_time_alone()
    {
        await _store.SaveAsync(new WorkflowWrite(1, "1:a", [], [], T0.AddMinutes(1)));
        await _store.SaveAsync(new WorkflowWrite(2, "1:b", [], [], T0.AddMinutes(2)));
        await _store.SaveAsync(new WorkflowWrite(3, "1:c", [], [], T0.AddMinutes(3)));
        await _store.SaveAsync(new WorkflowWrite(3, "1:c", [], [new IssueActivity("3:note:1", 3, ActivityTypes.Note, """{"text":"x"}""", T0)], null, WritesDue: false));

        Assert.Equal(["1:a", "1:b"], (await _store.GetDueAsync(T0.AddMinutes(2), 10)).ToArray());
        Assert.Equal(["1:a"], (await _store.GetDueAsync(T0.AddMinutes(5), 1)).ToArray());
        Assert.Equal(3, (await _store.GetDueAsync(T0.AddMinutes(5), 10)).Count);

        await _store.SaveAsync(new WorkflowWrite(1, "1:a", [], [], null));
        Assert.Equal(["1:b", "1:c"], (await _store.GetDueAsync(T0.AddMinutes(5), 10)).ToArray());
    }

    [Fact]
    public async Task New_groups_count_issues_by_first_release()
    {
        foreach (var (id, release) in new[] { (1L, "web@1.0.0"), (2L, "web@1.0.0"), (3L, "web@2.0.0"), (4L, (string?)null) })
        {
            await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(id, _project, r => r with { FirstRelease = release })));
        }

        var counts = await _store.CountNewGroupsAsync(_organization);
        Assert.Equal([(_project, "web@1.0.0", 2L), (_project, "web@2.0.0", 1L)], counts.OrderBy(c => c.Version, StringComparer.Ordinal).ToArray());
    }
}

public sealed class SqliteWorkflowStoreTests : WorkflowStoreTests<SqliteBackend>;

public sealed class PostgresWorkflowStoreTests : WorkflowStoreTests<PostgresBackend>;
