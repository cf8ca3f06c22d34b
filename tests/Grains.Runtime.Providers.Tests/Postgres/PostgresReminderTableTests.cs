using Grains.Runtime.Postgres;
using Grains.Runtime.Reminders;

namespace Grains.Runtime.Providers.Tests.Postgres;

public sealed class PostgresReminderTableTests : DurableReminderTableContractTests
{
    private PostgresTestStore _store = null!;

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        _store = await PostgresTestStore.CreateAsync();
        return new PostgresReminderTable(_store.Open());
    }

    protected override async Task<IReminderTable> ReopenTableAsync() => new PostgresReminderTable(await _store.ReopenAsync());

    protected override Task DisposeTableAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Reading_a_partition_uses_the_partition_index()
    {
        for (var i = 0; i < 20; i++)
        {
            await Table.UpsertAsync(new ReminderEntry(TestData.NewGrain(), "tick", TestData.Time(i), TimeSpan.FromMinutes(1), i % 4));
        }

        await using var connection = await _store.ConnectAsync();
        await using (var off = new Npgsql.NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand("EXPLAIN SELECT grain_id, name, start_at, period FROM grains_reminders WHERE partition_id = 3", connection);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains("ix_grains_reminders_partition", StringComparison.Ordinal));
        Assert.Equal(5, (await Table.ReadPartitionAsync(3)).Count);
    }

    [Fact]
    public async Task Times_keep_microsecond_precision()
    {
        var entry = new ReminderEntry(TestData.NewGrain(), "precise", TestData.Time().AddTicks(1230), TimeSpan.FromTicks(4560), 9);

        await Table.UpsertAsync(entry);

        Assert.Equal([entry], await Table.ReadPartitionAsync(9));
    }
}
