using System.Globalization;
using System.Net;
using System.Text;
using Grains.Monitoring.Releases;
using Grains.Monitoring.Storage;
using Grains.Server.Tests.Ingest;
using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Grains.Server.Tests.Grains;

/// <summary>
/// The release rows under a stream of events of one release: the silo's <see cref="ReleaseWriteFilter"/> lets
/// the issue batches write each row about once per minute of event time instead of once per batch, while
/// first seen stays exact and last seen within a minute of the newest event.
/// </summary>
public sealed class ReleaseWriteTests(IngestServer server, ITestOutputHelper output) : IClassFixture<IngestServer>
{
    private const int Events = 1_000;
    private const int IssueCount = 4;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(600); // 1,000 events over ten minutes

    [Fact]
    public async Task A_thousand_events_of_one_release_write_its_rows_about_once_a_minute_with_first_seen_exact()
    {
        var database = server.Services.GetRequiredService<SqliteDatabase>();
        // Counts every insert and update of a release row, whichever statement does it.
        await database.WriteAsync("test.release-write-counter", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE test_release_writes (n INTEGER NOT NULL);
                INSERT INTO test_release_writes VALUES (0);
                CREATE TRIGGER test_release_insert AFTER INSERT ON release_projects BEGIN UPDATE test_release_writes SET n = n + 1; END;
                CREATE TRIGGER test_release_update AFTER UPDATE ON release_projects BEGIN UPDATE test_release_writes SET n = n + 1; END;
                """;
            return command.ExecuteNonQuery();
        });

        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddMinutes(-11);
        for (var i = 0; i < Events; i++)
        {
            var evt = Envelopes.ErrorEvent(Envelopes.NewEventId(), $"ReleaseWriteError{i % IssueCount}", "boom", function: $"handler{i % IssueCount}");
            evt["timestamp"] = (start + (i * Step)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/api/{server.ProjectId}/store/")
            {
                Content = new StringContent(evt.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Sentry-Auth", server.AuthHeader());
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CountedAsync() < Events)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {await CountedAsync()} of {Events} events counted within 60 s");
            await Task.Delay(50);
        }

        var rows = database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT environment, first_seen, last_seen FROM release_projects WHERE version = 'web@1.0.0' ORDER BY environment";
            using var reader = command.ExecuteReader();
            var found = new List<(string Environment, long First, long Last)>();
            while (reader.Read())
            {
                found.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }

            return found;
        });
        var writes = database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT n FROM test_release_writes";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        var filter = server.Services.GetRequiredService<ReleaseWriteFilter>();
        output.WriteLine($"release row writes: {writes} for {Events} events (filter: {filter.WrittenCount} written, {filter.SkippedCount} skipped)");

        var first = Microseconds(start);
        var last = Microseconds(start + ((Events - 1) * Step));
        Assert.Equal(["", "test"], rows.Select(r => r.Environment));
        Assert.All(rows, row =>
        {
            Assert.Equal(first, row.First);
            Assert.InRange(row.Last, last - Microseconds(ReleaseWriteFilterOptions.DefaultWindow), last);
        });

        // Two rows, ten minutes of event time: about ten bumps each, plus the issues' first batches racing each
        // other. Without the filter every batch writes both rows (measured: about 90 batches, 180 writes).
        Assert.InRange(writes, 2, 2 * (10 + (2 * IssueCount)));
        Assert.Equal(writes, filter.WrittenCount);
        Assert.True(filter.SkippedCount > writes, $"{filter.SkippedCount} upserts skipped, {writes} written");
    }

    private async Task<long> CountedAsync()
    {
        var page = await server.Issues.QueryAsync(new IssueQuery { ProjectIds = [server.ProjectId], Query = "", Limit = 100 });
        return page.Issues.Where(i => i.Title.StartsWith("ReleaseWriteError", StringComparison.Ordinal)).Sum(i => i.TimesSeen);
    }

    private static long Microseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static long Microseconds(TimeSpan span) => span.Ticks / 10;
}
