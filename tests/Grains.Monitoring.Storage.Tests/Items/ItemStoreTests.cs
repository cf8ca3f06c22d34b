using System.Security.Cryptography;
using System.Text;
using Grains.Monitoring.Storage.Relational;
using Grains.Monitoring.Storage.Tests.Backends;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Monitoring.Storage.Tests.Items;

public abstract class ItemStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 15, 0, TimeSpan.Zero);
    private static readonly long Hour0 = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private IItemStore _items = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _items = Db.CreateItemStore();
    }

    private static string Id(int n) => n.ToString("x32");

    private static StoredItem Item(string type, string? category, string payload, string? eventId = null, long project = 1, int minutesAfter = 0, long? quantity = null) => new()
    {
        ProjectId = project,
        EventId = eventId,
        ItemType = type,
        Category = category,
        Received = T0.AddMinutes(minutesAfter),
        Quantity = quantity ?? 1,
        Payload = Encoding.UTF8.GetBytes(payload),
    };

    private static StoredItem Attachment(string eventId, byte[] data, string filename = "hello.txt", long project = 1) => new()
    {
        ProjectId = project,
        EventId = eventId,
        ItemType = "attachment",
        Category = "attachment",
        Filename = filename,
        ContentType = "text/plain",
        AttachmentType = "event.attachment",
        Received = T0,
        Quantity = data.Length,
        Payload = data,
    };

    private static StoredItem Report(string? eventId, string name, int minutesAfter = 0, long project = 1) =>
        Item("user_report", "feedback", $"{{\"event_id\":\"{eventId}\",\"name\":\"{name}\"}}", eventId, project, minutesAfter) with
        {
            Name = name,
            Email = $"{name}@example.com",
            Comments = $"{name} says it broke",
        };

    [Fact]
    public async Task ListByEvent_returns_the_attachments_and_reports_of_the_event_oldest_first()
    {
        var data = Encoding.UTF8.GetBytes("hello world");
        await _items.StoreAsync(
        [
            Attachment(Id(1), data),
            Report(Id(1), "alice"),
            Item("transaction", "transaction", "{}", Id(1)), // an event id but not an attachment or report
            Attachment(Id(2), data, "other.txt"),
            Attachment(Id(1), data, "elsewhere.txt", project: 2),
        ]);

        var items = await _items.ListByEventAsync(1, Id(1));

        Assert.Equal(["attachment", "user_report"], items.Select(i => i.ItemType));
        var attachment = items[0];
        Assert.Equal(1, attachment.ProjectId);
        Assert.Equal(Id(1), attachment.EventId);
        Assert.Equal("hello.txt", attachment.Filename);
        Assert.Equal("text/plain", attachment.ContentType);
        Assert.Equal("event.attachment", attachment.AttachmentType);
        Assert.Equal("attachment", attachment.Category);
        Assert.Equal(T0, attachment.Received);
        Assert.Equal(11, attachment.Size);
        Assert.Equal(11, attachment.StoredSize);
        Assert.Equal(11, attachment.Quantity);
        Assert.False(attachment.Truncated);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(data)), attachment.Sha1);
        Assert.Null(attachment.IssueId);

        var report = items[1];
        Assert.True(report.Id > attachment.Id);
        Assert.Equal(("alice", "alice@example.com", "alice says it broke"), (report.Name, report.Email, report.Comments));
        Assert.Empty(await _items.ListByEventAsync(1, Id(3)));
    }

    [Fact]
    public async Task An_attachment_downloads_byte_for_byte_compressible_or_not()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("line of a log file\n", 5_000)));
        var random = RandomNumberGenerator.GetBytes(50_000);
        await _items.StoreAsync([Attachment(Id(1), text, "log.txt"), Attachment(Id(1), random, "blob.bin")]);
        var items = await _items.ListByEventAsync(1, Id(1));

        var first = await _items.GetAttachmentAsync(1, Id(1), items[0].Id);
        var second = await _items.GetAttachmentAsync(1, Id(1), items[1].Id);

        Assert.Equal(text, first!.Data.ToArray());
        Assert.Equal(random, second!.Data.ToArray());
        Assert.Equal("blob.bin", second.Item.Filename);

        var stored = await StoredPayloads();
        Assert.True(stored["log.txt"].Length < text.Length / 10, $"text compressed to {stored["log.txt"].Length} bytes");
        Assert.Equal(("identity", random.Length), (stored["blob.bin"].Encoding, stored["blob.bin"].Length));
    }

    [Fact]
    public async Task GetAttachment_needs_the_right_project_event_and_an_attachment()
    {
        await _items.StoreAsync([Attachment(Id(1), [1, 2, 3]), Report(Id(1), "bob")]);
        var items = await _items.ListByEventAsync(1, Id(1));

        Assert.NotNull(await _items.GetAttachmentAsync(1, Id(1), items[0].Id));
        Assert.Null(await _items.GetAttachmentAsync(2, Id(1), items[0].Id));
        Assert.Null(await _items.GetAttachmentAsync(1, Id(2), items[0].Id));
        Assert.Null(await _items.GetAttachmentAsync(1, Id(1), items[1].Id)); // a report is not an attachment
        Assert.Null(await _items.GetAttachmentAsync(1, Id(1), 999));
    }

    [Fact]
    public async Task Attachments_over_the_bound_are_cut_and_marked_truncated_but_reported_stored()
    {
        var store = Db.CreateItemStore(new ItemStoreOptions { MaxStoredAttachmentBytes = 1_000 });
        var data = RandomNumberGenerator.GetBytes(5_000);
        var small = RandomNumberGenerator.GetBytes(1_000);
        var bigReport = Report(Id(1), new string('n', 3_000));
        var stored = await store.StoreAsync([Attachment(Id(1), data, "big.bin"), Attachment(Id(1), small, "exact.bin"), bigReport]);
        Assert.Equal([5_000L, 1_000L, 1L], stored.Select(i => i.Quantity)); // counted in full by the caller

        var items = await store.ListByEventAsync(1, Id(1));
        var big = items[0];
        Assert.Equal((5_000L, 1_000L, true), (big.Size, big.StoredSize, big.Truncated));
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(data)), big.Sha1); // describes the file as sent
        Assert.Equal(data[..1_000], (await store.GetAttachmentAsync(1, Id(1), big.Id))!.Data.ToArray());
        Assert.False(items[1].Truncated);
        Assert.Equal(small, (await store.GetAttachmentAsync(1, Id(1), items[1].Id))!.Data.ToArray());
        Assert.False(items[2].Truncated); // only attachments are bounded (other items have the edge's limits)
    }

    [Fact]
    public async Task Every_item_type_is_stored_raw_and_compressed()
    {
        const string session = "{\"sid\":\"99090ee8\",\"init\":true,\"status\":\"ok\",\"attrs\":{\"release\":\"a@1\"}}";
        await _items.StoreAsync(
        [
            Item("session", "session", session),
            Item("client_report", "internal", "{\"discarded_events\":[]}"),
            Item("log", "log_item", "{\"version\":2,\"items\":[]}", quantity: 3),
            Item("something_new", null, "opaque bytes"),
        ]);

        var rows = (await Db.QueryAsync("SELECT item_type, item_kind, category, quantity, payload_encoding, payload, payload_size FROM project_items ORDER BY id"))
            .Select(row =>
            {
                var payload = (byte[])row[5]!;
                var json = (string)row[4]! == "br"
                    ? Encoding.UTF8.GetString(EventPayload.Decompress(payload, (long)row[6]!))
                    : Encoding.UTF8.GetString(payload);
                return ((string)row[0]!, (string)row[1]!, (string?)row[2], (long)row[3]!, json);
            })
            .ToList();

        Assert.Equal(
        [
            ("session", "other", "session", 1L, session),
            ("client_report", "other", "internal", 1L, "{\"discarded_events\":[]}"),
            ("log", "other", "log_item", 3L, "{\"version\":2,\"items\":[]}"),
            ("something_new", "other", null, 1L, "opaque bytes"),
        ], rows);
    }

    [Fact]
    public async Task Feedback_pages_newest_first_without_gaps_or_repeats()
    {
        for (var i = 0; i < 23; i++)
        {
            await _items.StoreAsync(i % 2 == 0
                ? [Report(Id(i), $"user{i}", minutesAfter: i), Item("session", "session", "{}")]
                : [Item("feedback", "feedback", "{}", Id(i), minutesAfter: i) with { Name = $"user{i}" }]);
        }

        await _items.StoreAsync([Report(Id(100), "elsewhere", project: 2)]);

        var names = new List<string?>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _items.ListFeedbackAsync(1, 10, cursor);
            names.AddRange(page.Items.Select(i => i.Name));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 23).Reverse().Select(i => (string?)$"user{i}"), names);
        Assert.Throws<ArgumentException>(() => { _ = _items.ListFeedbackAsync(1, 10, "bogus").Result; });
    }

    [Fact]
    public async Task Feedback_reaches_its_issue_through_the_stored_event()
    {
        await _items.StoreAsync([Report(Id(1), "alice"), Report(Id(2), "bob"), Report(Id(3), "carol"), Report(null, "dave")]);
        await Db.Events.AppendAsync(Event(Id(1), issueId: 42));
        await Db.Events.AppendAsync(Event(Id(3), issueId: 42));
        await Db.Events.AppendAsync(Event(Id(2), issueId: 43));

        var all = await _items.ListFeedbackAsync(1, 10, null);
        Assert.Equal([("dave", null), ("carol", 42L), ("bob", 43L), ("alice", (long?)42L)], all.Items.Select(i => (i.Name, i.IssueId)));

        var first = await _items.ListFeedbackByIssueAsync(1, 42, 1, null);
        Assert.Equal(["carol"], first.Items.Select(i => i.Name));
        var second = await _items.ListFeedbackByIssueAsync(1, 42, 1, first.NextCursor);
        Assert.Equal(["alice"], second.Items.Select(i => i.Name));
        Assert.Null(second.NextCursor);
        Assert.Empty((await _items.ListFeedbackByIssueAsync(2, 42, 10, null)).Items);
    }

    [Fact]
    public async Task An_attachment_sent_again_for_the_same_event_is_stored_once_and_not_reported_stored_again()
    {
        var log = Encoding.UTF8.GetBytes("log line 1\nlog line 2");
        var screenshot = new byte[] { 0x89, 0x50, 0x4e, 0x47, 1, 2, 3 };
        StoredItem[] envelope = [Attachment(Id(7), log, "app.log"), Attachment(Id(7), screenshot, "screenshot.png"), Item("session", "session", "{}")];

        Assert.Equal(envelope, await _items.StoreAsync(envelope));
        Assert.Equal([envelope[2]], await _items.StoreAsync(envelope)); // the SDK retries the whole envelope: only attachments are deduplicated
        Assert.Empty(await _items.StoreAsync([Attachment(Id(7), log, "app.log"), Attachment(Id(7), log, "app.log")])); // and twice in one batch
        var twice = Attachment(Id(8), log, "new.log");
        Assert.Equal([twice], await _items.StoreAsync([twice, twice]));

        var stored = await _items.ListByEventAsync(1, Id(7));
        Assert.Equal(["app.log", "screenshot.png"], stored.Select(i => i.Filename));
    }

    [Fact]
    public async Task Attachments_differing_in_event_project_name_or_content_are_all_kept()
    {
        var data = Encoding.UTF8.GetBytes("same bytes");
        await _items.StoreAsync(
        [
            Attachment(Id(8), data, "a.txt"),
            Attachment(Id(8), data, "b.txt"), // same content, other name
            Attachment(Id(8), Encoding.UTF8.GetBytes("other bytes"), "a.txt"), // same name, other content
            Attachment(Id(9), data, "a.txt"), // other event
            Attachment(Id(8), data, "a.txt", project: 2), // other project
            Attachment(Id(8), data, "a.txt") with { Filename = null },
        ]);
        await _items.StoreAsync([Attachment(Id(8), data, "a.txt") with { Filename = null }]); // no name: one row per content

        Assert.Equal(4, (await _items.ListByEventAsync(1, Id(8))).Count);
        Assert.Single(await _items.ListByEventAsync(1, Id(9)));
        Assert.Single(await _items.ListByEventAsync(2, Id(8)));
    }

    [Fact]
    public async Task Upgrading_folds_attachments_stored_twice_before_the_unique_index()
    {
        var data = Encoding.UTF8.GetBytes("stored twice by an older version");
        await _items.ListByEventAsync(1, Id(0)); // the tables exist at the newest version

        // Back to version 1, which stored a retried attachment again.
        await Db.ExecuteAsync("DROP INDEX ux_project_items_attachment");
        await Db.ExecuteAsync("DELETE FROM grains_component_schema WHERE component = 'items' AND version >= 2");
        await Db.ExecuteAsync(OldOutcomesTable);
        await _items.StoreAsync([Attachment(Id(10), data), Attachment(Id(10), data), Attachment(Id(10), data, "other.txt")]);
        Assert.Equal(3, (await _items.ListByEventAsync(1, Id(10))).Count);
        var first = (await _items.ListByEventAsync(1, Id(10)))[0].Id;

        await Db.ReopenAsync();
        var upgraded = Db.CreateItemStore();
        var kept = await upgraded.ListByEventAsync(1, Id(10));

        Assert.Equal(["hello.txt", "other.txt"], kept.Select(i => i.Filename));
        Assert.Equal(first, kept[0].Id);
        await upgraded.StoreAsync([Attachment(Id(10), data)]);
        Assert.Equal(2, (await upgraded.ListByEventAsync(1, Id(10))).Count);
    }

    [Fact]
    public async Task A_bad_item_rejects_the_whole_batch_before_anything_is_written()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _items.StoreAsync([Item("session", "session", "{}"), Item("", "session", "{}")]));
        await _items.ListByEventAsync(1, Id(0)); // the tables exist

        Assert.Equal(0L, Assert.Single(await Db.QueryAsync("SELECT COUNT(*) FROM project_items"))[0]);
        await _items.StoreAsync([]); // nothing to write is not an error
    }

    [Fact]
    public async Task The_item_tables_are_their_own_component_and_resolve_through_DI()
    {
        await _items.ListByEventAsync(1, Id(0)); // the tables exist
        _ = await Db.CreateItemStore().ListByEventAsync(1, Id(0)); // a second store on the same database migrates nothing
        var versions = (await Db.QueryAsync("SELECT component, MAX(version) FROM grains_component_schema GROUP BY component ORDER BY component"))
            .Select(row => ((string)row[0]!, (long)row[1]!))
            .ToList();
        Assert.Equal(("items", 3L), versions.Single(v => v.Item1 == "items"));
        Assert.Contains(versions, v => v.Item1 == "monitoring");

        var services = await Db.AddStoresAsync(new ServiceCollection());
        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IItemStore>();
            Assert.Same(store, provider.GetRequiredService<IItemStore>());
            Assert.Single(await store.StoreAsync([Item("session", "session", "{}")]));
        }
    }

    [Fact]
    public async Task Upgrading_moves_the_accepted_outcomes_of_the_items_into_outcomes_hourly()
    {
        var organization = await Db.Directory.CreateOrganizationAsync("acme", "Acme");
        var project = await Db.Directory.CreateProjectAsync(organization.Id, "web", "Web", "javascript");
        await _items.ListByEventAsync(1, Id(0)); // the tables exist at the newest version

        // Back to version 2, whose project_outcomes counted the accepted items.
        await Db.ExecuteAsync("DELETE FROM grains_component_schema WHERE component = 'items' AND version = 3");
        await Db.ExecuteAsync(OldOutcomesTable);
        await Db.ExecuteAsync($"""
            INSERT INTO project_outcomes (project_id, category, outcome, hour_start, quantity) VALUES
                ({project.Id}, 'session', 'accepted', {Hour0}, 3),
                ({project.Id}, 'attachment', 'accepted', {Hour0}, 2048),
                ({project.Id}, 'attachment_item', 'accepted', {Hour0}, 2),
                (999, 'session', 'accepted', {Hour0}, 5)
            """);

        await Db.ReopenAsync();
        await Db.CreateItemStore().ListByEventAsync(1, Id(0));

        var moved = (await Db.QueryAsync("SELECT organization_id, project_id, hour_start, category, outcome, reason, key_id, quantity, times_seen FROM outcomes_hourly ORDER BY category"))
            .Select(r => ((long)r[0]!, (long)r[1]!, (long)r[2]!, (string)r[3]!, (long)r[4]!, (string)r[5]!, (string)r[6]!, (long)r[7]!, (long)r[8]!))
            .ToList();
        Assert.Equal(
        [
            (organization.Id, project.Id, Hour0, "attachment", 0L, "", "", 2048L, 1L),
            (organization.Id, project.Id, Hour0, "attachment_item", 0L, "", "", 2L, 2L),
            (organization.Id, project.Id, Hour0, "session", 0L, "", "", 3L, 3L),
        ], moved); // a deleted project's counts have no organization and are left behind
        Assert.Empty(await Db.QueryAsync("SELECT 1 FROM grains_component_schema WHERE component = 'items' AND version > 3"));
        await Assert.ThrowsAnyAsync<Exception>(() => Db.QueryAsync("SELECT COUNT(*) FROM project_outcomes"));
    }

    // The table items versions 1 and 2 created (version 3 moved its counts and dropped it).
    private const string OldOutcomesTable = """
        CREATE TABLE project_outcomes (
            project_id BIGINT NOT NULL,
            category   TEXT   NOT NULL,
            outcome    TEXT   NOT NULL,
            hour_start BIGINT NOT NULL,
            quantity   BIGINT NOT NULL,
            PRIMARY KEY (project_id, category, outcome, hour_start)
        )
        """;

    private static StoredEvent Event(string id, long issueId) => new()
    {
        ProjectId = 1,
        EventId = id,
        IssueId = issueId,
        Timestamp = T0,
        Received = T0,
        Json = "{}"u8.ToArray(),
    };

    private async Task<Dictionary<string, (string Encoding, long Length)>> StoredPayloads() =>
        (await Db.QueryAsync("SELECT filename, payload_encoding, length(payload) FROM project_items WHERE filename IS NOT NULL"))
            .ToDictionary(row => (string)row[0]!, row => ((string)row[1]!, (long)row[2]!));
}

public sealed class SqliteItemStoreTests : ItemStoreTests<SqliteBackend>;

public sealed class PostgresItemStoreTests : ItemStoreTests<PostgresBackend>;
