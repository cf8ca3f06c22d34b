namespace Grains.Monitoring.Storage.Tests;

public sealed class DirectoryStoreTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Organizations_are_created_listed_and_unique_by_slug()
    {
        var created = await _db.Directory.CreateOrganizationAsync("acme", "Acme");
        await _db.Directory.CreateOrganizationAsync("beta", "Beta");

        Assert.Equal(created, await _db.Directory.GetOrganizationAsync("acme"));
        Assert.Null(await _db.Directory.GetOrganizationAsync("nope"));
        Assert.Equal(["acme", "beta"], (await _db.Directory.ListOrganizationsAsync()).Select(o => o.Slug));
        var duplicate = await Assert.ThrowsAsync<DuplicateSlugException>(() => _db.Directory.CreateOrganizationAsync("acme", "Other"));
        Assert.Equal("acme", duplicate.Slug);
    }

    [Fact]
    public async Task Projects_are_created_updated_and_deleted()
    {
        var org = await _db.Directory.CreateOrganizationAsync("acme", "Acme");
        var web = await _db.Directory.CreateProjectAsync(org.Id, "web", "Web", "javascript");
        var api = await _db.Directory.CreateProjectAsync(org.Id, "api", "API", null);

        Assert.Equal(web, await _db.Directory.GetProjectAsync(web.Id));
        Assert.Equal(web, await _db.Directory.GetProjectAsync(org.Id, "web"));
        Assert.Equal(["api", "web"], (await _db.Directory.ListProjectsAsync(org.Id)).Select(p => p.Slug));
        await Assert.ThrowsAsync<DuplicateSlugException>(() => _db.Directory.CreateProjectAsync(org.Id, "web", "Again", null));

        // The same slug in another organization is fine.
        var other = await _db.Directory.CreateOrganizationAsync("other", "Other");
        await _db.Directory.CreateProjectAsync(other.Id, "web", "Web", null);

        var renamed = web with { Slug = "frontend", Name = "Frontend", FingerprintRules = "type:X -> x", StackTraceRules = "family:javascript -app" };
        await _db.Directory.UpdateProjectAsync(renamed);
        Assert.Equal(renamed, await _db.Directory.GetProjectAsync(web.Id));
        await Assert.ThrowsAsync<DuplicateSlugException>(() => _db.Directory.UpdateProjectAsync(renamed with { Slug = "api" }));
        await _db.Directory.UpdateProjectAsync(renamed); // keeping its own slug is not a conflict

        await _db.Directory.CreateKeyAsync(Key(api.Id, "a"));
        await _db.Directory.DeleteProjectAsync(api.Id);
        Assert.Null(await _db.Directory.GetProjectAsync(api.Id));
        Assert.Null(await _db.Directory.FindKeyAsync(new string('a', 32)));
    }

    [Fact]
    public async Task Issue_numbers_increment_per_project()
    {
        var org = await _db.Directory.CreateOrganizationAsync("acme", "Acme");
        var a = await _db.Directory.CreateProjectAsync(org.Id, "a", "A", null);
        var b = await _db.Directory.CreateProjectAsync(org.Id, "b", "B", null);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _db.Directory.NextIssueNumberAsync(a.Id)));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), numbers.Order());
        Assert.Equal(1, await _db.Directory.NextIssueNumberAsync(b.Id));
        Assert.Equal(11, await _db.Directory.NextIssueNumberAsync(a.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _db.Directory.NextIssueNumberAsync(999));

        // A block: the first number of 100 reserved at once; the next reservation starts after the block.
        Assert.Equal(12, await _db.Directory.NextIssueNumberAsync(a.Id, 100));
        Assert.Equal(112, await _db.Directory.NextIssueNumberAsync(a.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _db.Directory.NextIssueNumberAsync(a.Id, 0));
    }

    [Fact]
    public async Task Keys_are_found_by_public_key_updated_and_deleted()
    {
        var org = await _db.Directory.CreateOrganizationAsync("acme", "Acme");
        var project = await _db.Directory.CreateProjectAsync(org.Id, "web", "Web", null);
        var first = Key(project.Id, "a");
        var second = Key(project.Id, "b") with { DateCreated = first.DateCreated.AddSeconds(1) };
        await _db.Directory.CreateKeyAsync(first);
        await _db.Directory.CreateKeyAsync(second);

        Assert.Equal(first, await _db.Directory.FindKeyAsync(first.PublicKey));
        Assert.Null(await _db.Directory.FindKeyAsync(new string('f', 32)));
        Assert.Equal([first, second], await _db.Directory.ListKeysAsync(project.Id));

        var disabled = first with { IsActive = false, Name = "Disabled" };
        await _db.Directory.UpdateKeyAsync(disabled);
        Assert.Equal(disabled, await _db.Directory.FindKeyAsync(first.PublicKey));

        Assert.True(await _db.Directory.DeleteKeyAsync(first.PublicKey));
        Assert.False(await _db.Directory.DeleteKeyAsync(first.PublicKey));
        Assert.Equal([second], await _db.Directory.ListKeysAsync(project.Id));
    }

    [Fact]
    public async Task Tokens_are_found_by_hash()
    {
        Assert.False(await _db.Directory.AnyTokenAsync());
        var token = await _db.Directory.CreateTokenAsync("admin", "hash-1");

        Assert.True(await _db.Directory.AnyTokenAsync());
        Assert.Equal(token, await _db.Directory.FindTokenAsync("hash-1"));
        Assert.Null(await _db.Directory.FindTokenAsync("hash-2"));
    }

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        var path = _db.FilePath;
        await using (var db = new TempDatabase())
        {
            // Only proves a second database beside the first does not interfere.
            await db.Directory.CreateOrganizationAsync("acme", "Acme");
        }

        await _db.Directory.CreateOrganizationAsync("acme", "Acme");
        await _db.Database.DisposeAsync();
        await using var reopened = new Grains.Runtime.Sqlite.SqliteDatabase(new Grains.Runtime.Sqlite.SqliteStorageOptions { DataSource = path });
        var directory = new Grains.Monitoring.Sqlite.SqliteDirectoryStore(reopened);
        Assert.NotNull(await directory.GetOrganizationAsync("acme"));
    }

    private static ProjectKeyRecord Key(long projectId, string fill) => new()
    {
        ProjectId = projectId,
        Name = "Default",
        PublicKey = string.Concat(Enumerable.Repeat(fill, 32)),
        SecretKey = new string('0', 32),
        DateCreated = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };
}
