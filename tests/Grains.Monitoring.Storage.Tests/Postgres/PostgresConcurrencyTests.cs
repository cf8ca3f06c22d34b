using Grains.Monitoring.Releases;
using Grains.Monitoring.Issues.Workflow;
using System.Text;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Storage.Tests.Backends;
using Grains.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Monitoring.Storage.Tests.Postgres;

/// <summary>
/// What only a shared server has: several silos (here: store instances over their own
/// <see cref="PostgresDatabase"/>, so their own connection pools) writing one database at once.
/// </summary>
public sealed class PostgresConcurrencyTests : StoreTests<PostgresBackend>
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Concurrent_appends_of_one_event_id_from_two_silos_store_it_once()
    {
        await using var other = Open();
        var stores = new IEventStore[] { Db.Events, new PostgresEventStore(other) };
        const int Ids = 40;
        const int AppendsPerStore = 4;

        var appends = Enumerable.Range(0, Ids).SelectMany(id => Enumerable.Range(0, 2 * AppendsPerStore).Select(n => (Id: id, Store: stores[n % 2], Offset: (long)n + 1)));
        var results = await Task.WhenAll(appends.Select(async a => (a.Id, Result: await a.Store.AppendAsync(Event(a.Id, a.Offset)))));

        foreach (var group in results.GroupBy(r => r.Id))
        {
            Assert.Single(group, r => r.Result == EventAppendResult.Stored);
            Assert.Equal(2 * AppendsPerStore - 1, group.Count(r => r.Result == EventAppendResult.Duplicate));
        }

        Assert.Equal((long)Ids, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM events"))[0]);
        Assert.Equal(Ids, (await Db.QueryAsync("SELECT DISTINCT event_id FROM events")).Count);
    }

    [Fact]
    public async Task A_redelivery_racing_the_first_delivery_on_another_silo_is_recognised()
    {
        await using var other = Open();
        var second = new PostgresEventStore(other);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? Db.Events : second).AppendAsync(Event(7, offset: 99))));

        Assert.Single(results, r => r == EventAppendResult.Stored);
        Assert.All(results.Where(r => r != EventAppendResult.Stored), r => Assert.Equal(EventAppendResult.Redelivered, r));
    }

    [Fact]
    public async Task Two_silos_migrating_at_once_create_the_schema_once()
    {
        for (var round = 0; round < 3; round++)
        {
            var connectionString = await Db.CreateDatabaseAsync();
            await using var first = Open(connectionString);
            await using var second = Open(connectionString);

            // Every store's first operation migrates; the item store also needs the monitoring tables.
            await Task.WhenAll(
                new PostgresDirectoryStore(first).ListOrganizationsAsync(),
                new PostgresItemStore(second).ListByEventAsync(1, "0"),
                new PostgresIssueStore(second).GetAsync(1),
                new PostgresItemStore(first).ListByEventAsync(1, "0"),
                first.MigrateAsync("monitoring", MonitoringPostgresSchema.Migrations),
                Task.Run(async () =>
                {
                    // A silo migrates the items after the monitoring tables, as the stores' schema gate does
                    // (the items' version 3 moves counts into a monitoring table).
                    await second.MigrateAsync("monitoring", MonitoringPostgresSchema.Migrations);
                    await second.MigrateAsync("items", MonitoringPostgresSchema.ItemMigrations);
                }));

            await using var command = first.DataSource.CreateCommand("SELECT component, version FROM grains_component_schema ORDER BY component, version");
            await using var reader = await command.ExecuteReaderAsync();
            var versions = new List<(string, int)>();
            while (await reader.ReadAsync())
            {
                versions.Add((reader.GetString(0), reader.GetInt32(1)));
            }

            // Each version once: items 1..n, monitoring 1..m.
            Assert.Equal(
                [.. Enumerable.Range(1, MonitoringPostgresSchema.ItemMigrations.Count).Select(v => ("items", v)),
                 .. Enumerable.Range(1, MonitoringPostgresSchema.Migrations.Count).Select(v => ("monitoring", v))],
                versions);
        }
    }

    [Fact]
    public async Task A_snapshot_saved_by_two_silos_at_once_adds_its_deltas_once()
    {
        await using var other = Open();
        var stores = new IIssueStore[] { Db.Issues, new PostgresIssueStore(other) };
        var hour = Issues.Now.ToUnixTimeSeconds() / 3600 * 3600;
        await Db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(1)));

        for (var round = 0; round < 10; round++)
        {
            // The same batch applied by an old and a new activation of the issue (a partition moved).
            var snapshot = Issues.Snapshot(Issues.Record(1), Issues.Tag("level", "error", 2), Issues.Tag("os", "Linux", 1)) with
            {
                HourlyCounts = [new(hour, 2)],
            };
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i => stores[i % 2].SaveAsync(snapshot)));
        }

        var tags = await Db.Issues.GetTagsAsync(1, 5);
        Assert.Equal([("level", 20L), ("os", 10L)], tags.Select(t => (t.Key, t.TotalValues)));
        Assert.Equal(20, (await Db.Issues.GetStatsAsync([1], "24h", Issues.Now))[1][^1].Count);
    }

    [Fact]
    public async Task Two_silos_creating_one_slug_get_one_organization_and_one_duplicate_error()
    {
        await using var other = Open();
        var stores = new IDirectoryStore[] { Db.Directory, new PostgresDirectoryStore(other) };

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            try
            {
                return (Created: await stores[i % 2].CreateOrganizationAsync("acme", "Acme"), Error: (DuplicateSlugException?)null);
            }
            catch (DuplicateSlugException error)
            {
                return (Created: (OrganizationRecord?)null, Error: error);
            }
        }));

        var created = Assert.Single(attempts, a => a.Created is not null).Created!;
        Assert.Equal(9, attempts.Count(a => a.Error is not null));
        Assert.Equal([created], await stores[1].ListOrganizationsAsync());

        var org = created.Id;
        var numbers = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            var project = await stores[i].GetProjectAsync(org, "web") ?? await TryCreateProject(stores[i], org);
            return project;
        }));
        Assert.Equal(numbers[0].Id, numbers[1].Id);

        var reserved = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stores[i % 2].NextIssueNumberAsync(numbers[0].Id, 10)));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 1L + (10 * i)), reserved.Order());
    }

    [Fact]
    public async Task The_stores_resolve_as_singletons_and_the_host_migrates_at_start()
    {
        var connectionString = await Db.CreateDatabaseAsync();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_ => new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString }))
            .AddGrainsMonitoringPostgres();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<PostgresEventStore>(), provider.GetRequiredService<IEventStore>());
        Assert.Same(provider.GetRequiredService<PostgresIssueStore>(), provider.GetRequiredService<IIssueStore>());
        Assert.Same(provider.GetRequiredService<PostgresDirectoryStore>(), provider.GetRequiredService<IDirectoryStore>());
        Assert.Same(provider.GetRequiredService<PostgresItemStore>(), provider.GetRequiredService<IItemStore>());

        foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        await using var command = provider.GetRequiredService<PostgresDatabase>().DataSource.CreateCommand("SELECT count(*) FROM grains_component_schema WHERE component IN ('monitoring', 'items')");
        Assert.Equal((long)(MonitoringPostgresSchema.Migrations.Count + MonitoringPostgresSchema.ItemMigrations.Count), await command.ExecuteScalarAsync());
    }

    private static async Task<ProjectRecord> TryCreateProject(IDirectoryStore store, long organizationId)
    {
        try
        {
            return await store.CreateProjectAsync(organizationId, "web", "Web", null);
        }
        catch (DuplicateSlugException)
        {
            return (await store.GetProjectAsync(organizationId, "web"))!;
        }
    }

    [Fact]
    public async Task A_release_write_the_stored_rows_already_cover_does_not_wait_for_their_locks()
    {
        var organization = (await Db.Directory.CreateOrganizationAsync("rl", "Releases")).Id;
        var project = (await Db.Directory.CreateProjectAsync(organization, "web", "Web", "javascript")).Id;
        var workflow = new PostgresWorkflowStore(Db.Database);
        await workflow.SaveAsync(new WorkflowWrite(1, "1:h", [new ReleaseSeen(project, "web@1", "", T0, T0.AddMinutes(10))], [], null));

        // Another transaction (another grain's write, waiting for its commit) holds both rows locked.
        await using var connection = await Db.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRows = new Npgsql.NpgsqlCommand("SELECT 1 FROM releases FOR UPDATE; SELECT 1 FROM release_projects FOR UPDATE", connection, transaction))
        {
            await lockRows.ExecuteNonQueryAsync();
        }

        // Inside the stored range: completes without waiting.
        await workflow.SaveAsync(new WorkflowWrite(2, "2:h", [new ReleaseSeen(project, "web@1", "", T0.AddMinutes(1), T0.AddMinutes(9))], [], null)).WaitAsync(TimeSpan.FromSeconds(20));

        // Widening the range must update the rows, so it waits for the lock and then applies.
        var widening = workflow.SaveAsync(new WorkflowWrite(3, "3:h", [new ReleaseSeen(project, "web@1", "", T0.AddMinutes(1), T0.AddMinutes(30))], [], null));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((long)(await Db.QueryAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))[0][0]! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the widening write never waited for the lock");
            await Task.Delay(20);
        }

        Assert.False(widening.IsCompleted);
        await transaction.CommitAsync();
        await widening.WaitAsync(TimeSpan.FromSeconds(20));

        var release = Assert.Single(await workflow.GetProjectReleasesAsync(project));
        Assert.Equal(T0, release.FirstSeen);
        Assert.Equal(T0.AddMinutes(30), release.LastSeen);
    }

    private PostgresDatabase Open(string? connectionString = null) =>
        new(new PostgresStorageOptions { ConnectionString = connectionString ?? Db.ConnectionString });

    private static StoredEvent Event(int id, long offset) => new()
    {
        ProjectId = 1,
        EventId = id.ToString("x32"),
        IssueId = 1,
        Timestamp = T0,
        Received = T0,
        StreamOffset = offset,
        Json = Encoding.UTF8.GetBytes($"{{\"event_id\":\"{id}\"}}"),
    };
}
