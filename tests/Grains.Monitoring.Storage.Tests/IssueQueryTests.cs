using Grains.Monitoring.Search;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests;

public abstract class IssueQueryTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var now = Issues.Now;
        await Save(Issues.Record(1, change: r => r with
        {
            Title = "TypeError: x is undefined",
            SearchText = "TypeError: x is undefined app.js in handler",
            Level = "error",
            ErrorType = "TypeError",
            ErrorValue = "x is undefined",
            FirstSeen = now.AddHours(-2),
            LastSeen = now.AddMinutes(-5),
            TimesSeen = 120,
            UserCount = 3,
            FirstRelease = "1.0.0",
        }), Issues.Tag("environment", "production"), Issues.Tag("release", "1.0.0"), Issues.Tag("browser", "Chrome 120"));
        await Save(Issues.Record(2, change: r => r with
        {
            Title = "ValueError: bad 100% value",
            SearchText = "ValueError: bad 100% value views.py in index",
            Level = "warning",
            ErrorType = "ValueError",
            ErrorValue = "bad 100% value",
            FirstSeen = now.AddDays(-10),
            LastSeen = now.AddHours(-30),
            TimesSeen = 5,
            UserCount = 10,
            Substatus = "regressed",
        }), Issues.Tag("environment", "staging"), Issues.Tag("release", "2.0.0"), Issues.Tag("browser", "Firefox 121"));
        await Save(Issues.Record(3, change: r => r with
        {
            Title = "Connection refused",
            SearchText = "Connection refused db.py in connect",
            Level = "fatal",
            Type = "default",
            FirstSeen = now.AddDays(-3),
            LastSeen = now.AddMinutes(-1),
            TimesSeen = 40,
            UserCount = 0,
            Status = "resolved",
            Substatus = null,
        }), Issues.Tag("environment", "production"));
        await Save(Issues.Record(4, change: r => r with
        {
            Title = "Timeout_error",
            SearchText = "Timeout_error worker.py in run",
            FirstSeen = now.AddHours(-26),
            LastSeen = now.AddHours(-1),
            TimesSeen = 1,
            Status = "ignored",
            Substatus = "forever",
        }));
        await Save(Issues.Record(5, projectId: 2, change: r => r with { Title = "Other project" }));
    }

    [Theory]
    [InlineData(null, new long[] { 1, 2 })]
    [InlineData("", new long[] { 1, 2 })]
    [InlineData("is:unresolved", new long[] { 1, 2 })]
    [InlineData("is:resolved", new long[] { 3 })]
    [InlineData("is:ignored", new long[] { 4 })]
    [InlineData("is:archived", new long[] { 4 })]
    [InlineData("is:muted", new long[] { 4 })]
    [InlineData("is:regressed", new long[] { 2 })]
    [InlineData("is:new", new long[] { 1 })]
    [InlineData("!is:unresolved", new long[] { 3, 4 })]
    [InlineData("is:[resolved, ignored]", new long[] { 3, 4 })]
    [InlineData("is:unresolved level:warning", new long[] { 2 })]
    [InlineData("level:[fatal,warning]", new long[] { 2, 3 })]
    [InlineData("!level:error", new long[] { 2, 3 })]
    [InlineData("environment:production", new long[] { 1, 3 })]
    [InlineData("!environment:production", new long[] { 2, 4 })]
    [InlineData("environment:prod*", new long[] { 1, 3 })]
    [InlineData("release:2.0.0", new long[] { 2 })]
    [InlineData("firstRelease:1.0.0", new long[] { 1 })]
    [InlineData("browser:\"Chrome 120\"", new long[] { 1 })]
    [InlineData("browser:*Fire*", new long[] { 2 })]
    [InlineData("browser:Chrome", new long[] { })]
    [InlineData("has:browser", new long[] { 1, 2 })]
    [InlineData("!has:environment", new long[] { 4 })]
    [InlineData("has:error.type", new long[] { 1, 2 })]
    [InlineData("error.type:TypeError", new long[] { 1 })]
    [InlineData("!error.type:TypeError", new long[] { 2, 3, 4 })]
    [InlineData("error.value:\"x is*\"", new long[] { 1 })]
    [InlineData("timesSeen:>40", new long[] { 1 })]
    [InlineData("timesSeen:>=40", new long[] { 1, 3 })]
    [InlineData("timesSeen:<5", new long[] { 4 })]
    [InlineData("timesSeen:5", new long[] { 2 })]
    [InlineData("age:-24h", new long[] { 1 })]
    [InlineData("age:+24h", new long[] { 2, 3, 4 })]
    [InlineData("firstSeen:-25h", new long[] { 1 })]
    [InlineData("firstSeen:-27h", new long[] { 1, 4 })]
    [InlineData("firstSeen:>=-27h", new long[] { 1, 4 })]
    [InlineData("lastSeen:-1d", new long[] { 1, 3, 4 })]
    [InlineData("lastSeen:+1d", new long[] { 2 })]
    [InlineData("firstSeen:>2025-03-05", new long[] { 1, 3, 4 })]
    [InlineData("firstSeen:2025-02-28", new long[] { 2 })]
    [InlineData("lastSeen:<2025-03-10T12:00:00Z", new long[] { 2, 4 })]
    [InlineData("typeerror", new long[] { 1 })]
    [InlineData("handler", new long[] { 1 })]
    [InlineData("py in", new long[] { 2, 3, 4 })]
    [InlineData("\"connection refused\"", new long[] { 3 })]
    [InlineData("message:views.py", new long[] { 2 })]
    [InlineData("100%", new long[] { 2 })]
    [InlineData("timeout_", new long[] { 4 })]
    [InlineData("conn*db", new long[] { 3 })]
    public async Task Search_keys_select_the_right_issues(string? query, long[] expected)
    {
        var page = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Query = query, Now = Issues.Now, Sort = "new" });

        Assert.Equal(expected.Order(), page.Issues.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task Environment_filter_and_projects_combine_with_the_search()
    {
        var production = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Query = "level:*", Environments = ["production"], Now = Issues.Now });
        Assert.Equal([1L, 3L], production.Issues.Select(i => i.Id).Order());

        var both = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Query = "level:*", Environments = ["production", "staging"], Now = Issues.Now });
        Assert.Equal([1L, 2L, 3L], both.Issues.Select(i => i.Id).Order());

        var projects = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1, 2], Query = "is:unresolved", Now = Issues.Now });
        Assert.Equal([1L, 2L, 5L], projects.Issues.Select(i => i.Id).Order());
    }

    [Theory]
    [InlineData("date", new long[] { 1, 2 })]
    [InlineData("new", new long[] { 1, 2 })]
    [InlineData("freq", new long[] { 1, 3, 2, 4 })]
    [InlineData("user", new long[] { 2, 1, 4, 3 })]
    public async Task Sorts_order_descending(string sort, long[] expected)
    {
        var query = expected.Length == 2 ? "is:unresolved" : "level:*";
        var page = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Query = query, Sort = sort, Now = Issues.Now });

        Assert.Equal(expected, page.Issues.Select(i => i.Id));
    }

    [Fact]
    public async Task Date_sort_is_by_last_seen()
    {
        var page = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Query = "level:*", Sort = "date", Now = Issues.Now });

        Assert.Equal([3L, 1L, 4L, 2L], page.Issues.Select(i => i.Id));
    }

    [Fact]
    public async Task Malformed_queries_sorts_and_cursors_are_rejected()
    {
        var error = await Assert.ThrowsAsync<SearchSyntaxException>(() => Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Query = "is:unresolved timesSeen:lots" }));
        Assert.Equal("timesSeen:lots", error.Term);
        await Assert.ThrowsAsync<ArgumentException>(() => Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Sort = "trends" }));
        await Assert.ThrowsAsync<ArgumentException>(() => Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Cursor = "garbage" }));
        await Assert.ThrowsAsync<ArgumentException>(() => Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [] }));

        // A cursor of one sort does not page another.
        var page = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Limit = 1, Sort = "freq" });
        await Assert.ThrowsAsync<ArgumentException>(() => Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Limit = 1, Sort = "date", Cursor = page.NextCursor }));
    }

    [Fact]
    public async Task Values_are_parameters_not_sql()
    {
        var page = await Db.Issues.QueryAsync(new IssueQuery { ProjectIds = [1], Query = "environment:\"x' OR '1'='1\" level:'; DROP TABLE issues; --", Now = Issues.Now });

        Assert.Empty(page.Issues);
        Assert.NotNull(await Db.Issues.GetAsync(1));
    }

    private Task Save(IssueRecord issue, params IssueTagValue[] tags) => Db.Issues.SaveAsync(Issues.Snapshot(issue, tags));
}

public sealed class SqliteIssueQueryTests : IssueQueryTests<SqliteBackend>;

public sealed class PostgresIssueQueryTests : IssueQueryTests<PostgresBackend>;
