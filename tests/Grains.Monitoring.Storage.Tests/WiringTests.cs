using System.Diagnostics;
using System.Text;
using Grains.Monitoring.Sqlite;
using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Grains.Monitoring.Storage.Tests;

public sealed class WiringTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_stores_resolve_as_singletons_over_the_runtime_database()
    {
        var directory = Path.Combine(Path.GetTempPath(), "grains-di-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection()
            .AddGrainsSqliteDatabase(o => o.DataSource = Path.Combine(directory, "grains.db"))
            .AddGrainsMonitoringSqlite();
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.Same(provider.GetRequiredService<SqliteEventStore>(), provider.GetRequiredService<IEventStore>());
            Assert.Same(provider.GetRequiredService<SqliteIssueStore>(), provider.GetRequiredService<IIssueStore>());
            Assert.Same(provider.GetRequiredService<SqliteDirectoryStore>(), provider.GetRequiredService<IDirectoryStore>());
            var org = await provider.GetRequiredService<IDirectoryStore>().CreateOrganizationAsync("default", "Default");
            Assert.Equal(org, await provider.GetRequiredService<IDirectoryStore>().GetOrganizationAsync("default"));
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Component_migrations_apply_once_and_refuse_a_newer_file()
    {
        await using var db = new TempDatabase();
        (int, string, string)[] v1 = [(1, "t", "CREATE TABLE component_test (id BIGINT)")];
        (int, string, string)[] v2 = [.. v1, (2, "column", "ALTER TABLE component_test ADD COLUMN name TEXT")];

        db.Database.Migrate("test", v1);
        db.Database.Migrate("test", v1); // applied already: nothing to do
        db.Database.Migrate("test", v2);

        var versions = db.Database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT component, MAX(version) FROM grains_component_schema GROUP BY component ORDER BY component";
            using var reader = command.ExecuteReader();
            var rows = new List<(string, long)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1)));
            }

            return rows;
        });
        Assert.Equal([("monitoring", (long)MonitoringSchema.Migrations.Max(m => m.Version)), ("test", 2L)], versions);
        Assert.Throws<InvalidOperationException>(() => db.Database.Migrate("test", v1));
        Assert.Throws<ArgumentException>(() => db.Database.Migrate("other", [(2, "gap", "SELECT 1")]));
        Assert.Throws<ArgumentException>(() => db.Database.Migrate("other", [(1, "a", "SELECT 1"), (1, "again", "SELECT 1")]));
    }

    [Fact]
    public async Task A_migration_numbered_below_an_applied_one_is_applied_when_it_arrives()
    {
        // Branches reserve numbers up front and may land out of order: 1, 2, 5 first, then 3.
        await using var db = new TempDatabase();
        (int, string, string)[] first = [(1, "t", "CREATE TABLE gap_test (id BIGINT)"), (2, "u", "CREATE TABLE gap_u (id BIGINT)"), (5, "w", "CREATE TABLE gap_w (id BIGINT)")];
        (int, string, string)[] later = [first[0], first[1], (3, "v", "CREATE TABLE gap_v (id BIGINT)"), first[2]];

        db.Database.Migrate("gaps", first);
        db.Database.Migrate("gaps", later);
        db.Database.Migrate("gaps", later);

        var applied = db.Database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT version FROM grains_component_schema WHERE component = 'gaps' ORDER BY version";
            using var reader = command.ExecuteReader();
            var rows = new List<long>();
            while (reader.Read())
            {
                rows.Add(reader.GetInt64(0));
            }

            return rows;
        });
        Assert.Equal([1L, 2L, 3L, 5L], applied);
        Assert.Equal(0L, db.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM gap_v";
            return (long)command.ExecuteScalar()!;
        }));
    }

    [Fact]
    public async Task A_failing_component_write_leaves_the_others_of_its_transaction()
    {
        await using var db = new TempDatabase();
        db.Database.Migrate("test", [(1, "t", "CREATE TABLE component_test (id BIGINT NOT NULL PRIMARY KEY)")]);

        var ok = db.Database.WriteAsync("test.ok", c => Insert(c, 1));
        // Inserts 2, then fails on the duplicate 1: its savepoint must undo the 2 as well.
        var failing = db.Database.WriteAsync("test.fail", c => Insert(c, 2) + Insert(c, 1));
        var after = db.Database.WriteAsync("test.ok", c => Insert(c, 3));

        Assert.Equal(1, await ok);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => failing);
        Assert.Equal(1, await after);
        Assert.Equal(2L, db.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM component_test";
            return (long)command.ExecuteScalar()!;
        }));

        static int Insert(Microsoft.Data.Sqlite.SqliteConnection connection, long id)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO component_test (id) VALUES (@id)";
            command.Parameters.AddWithValue("@id", id);
            return command.ExecuteNonQuery();
        }
    }

    [Fact]
    public async Task Hot_path_writes_complete_concurrently_and_report_their_rate()
    {
        await using var db = new TempDatabase();
        var json = Encoding.UTF8.GetBytes("{\"exception\":{\"values\":[{\"type\":\"TypeError\",\"value\":\"x is undefined\",\"stacktrace\":{\"frames\":[" +
            string.Join(',', Enumerable.Range(0, 40).Select(i => $"{{\"filename\":\"app/file{i}.js\",\"function\":\"fn{i}\",\"lineno\":{i}}}")) + "]}}]}}");
        const int Events = 5_000;

        // Warm up (prepares the statements).
        await Run(0, 200);
        var started = Stopwatch.StartNew();
        await Run(1_000_000, Events);
        var elapsed = started.Elapsed;
        // The rate is reported, not asserted: a loaded CI machine is no benchmark (bench/ measures throughput).
        output.WriteLine($"{Events} x (append + save) in {elapsed.TotalMilliseconds:F0} ms = {Events / elapsed.TotalSeconds:F0}/s ({json.Length} byte events)");
        Assert.Equal((200L + Events, 1000L), db.Database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM issues)";
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }));

        Task Run(int first, int count) => Task.WhenAll(Enumerable.Range(first, count).Select(i =>
        {
            var issueId = (i % 1000) + 1;
            var append = db.Events.AppendAsync(new StoredEvent
            {
                ProjectId = 1,
                EventId = i.ToString("x32"),
                IssueId = issueId,
                Timestamp = Issues.Now,
                Received = Issues.Now,
                StreamOffset = i,
                Json = json,
            });
            var save = db.Issues.SaveAsync(Issues.Snapshot(Issues.Record(issueId, change: r => r with { TimesSeen = i }), Issues.Tag("environment", "production", i), Issues.Tag("level", "error", i)) with
            {
                HourlyCounts = [new(Issues.Now.ToUnixTimeSeconds() / 3600 * 3600, i)],
            });
            return Task.WhenAll(append, save);
        }));
    }
}
