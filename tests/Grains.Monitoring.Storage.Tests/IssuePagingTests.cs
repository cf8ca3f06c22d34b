using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests;

public abstract class IssuePagingTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private const int Count = 250;
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Many ties (same last seen, times seen, user count) so the id tiebreak is exercised.
        await Task.WhenAll(Enumerable.Range(1, Count).Select(i => Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(i, change: r => r with
        {
            LastSeen = Issues.Now.AddMinutes(-(i % 17)),
            FirstSeen = Issues.Now.AddHours(-(i % 5)),
            TimesSeen = i % 7,
            UserCount = i % 3,
        })))));
    }

    [Theory]
    [InlineData("date")]
    [InlineData("new")]
    [InlineData("freq")]
    [InlineData("user")]
    public async Task Paging_forward_then_back_visits_every_issue_once(string sort)
    {
        var pages = new List<IssuePage>();
        string? cursor = null;
        do
        {
            var page = await Query(sort, cursor);
            pages.Add(page);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        var forward = pages.SelectMany(p => p.Issues.Select(i => i.Id)).ToList();
        Assert.Equal(11, pages.Count);
        Assert.Equal(Count, forward.Count);
        Assert.Equal(Count, forward.Distinct().Count());
        Assert.Null(pages[0].PreviousCursor);
        Assert.All(pages.Skip(1), p => Assert.NotNull(p.PreviousCursor));
        var full = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Sort = sort, Limit = 100, Now = Issues.Now });
        Assert.Equal(full.Issues.Select(i => i.Id), forward.Take(100));

        // Back from the last page reproduces each earlier page exactly.
        var back = pages[^1];
        for (var i = pages.Count - 2; i >= 0; i--)
        {
            back = await Query(sort, back.PreviousCursor);
            Assert.Equal(pages[i].Issues.Select(x => x.Id), back.Issues.Select(x => x.Id));
            Assert.Equal(pages[i].NextCursor is null, back.NextCursor is null);
        }

        Assert.Null(back.PreviousCursor);
    }

    [Fact]
    public async Task Limit_is_clamped_to_100()
    {
        var page = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Limit = 1000, Now = Issues.Now });

        Assert.Equal(100, page.Issues.Count);
        Assert.NotNull(page.NextCursor);
    }

    private Task<IssuePage> Query(string sort, string? cursor) =>
        Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Sort = sort, Limit = 24, Cursor = cursor, Now = Issues.Now });
}

public sealed class SqliteIssuePagingTests : IssuePagingTests<SqliteBackend>;

public sealed class PostgresIssuePagingTests : IssuePagingTests<PostgresBackend>;
