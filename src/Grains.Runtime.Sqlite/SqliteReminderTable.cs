using Grains.Runtime.Reminders;
using Grains.Sqlite;

namespace Grains.Runtime.Sqlite;

/// <summary>
/// <see cref="IReminderTable"/> in the <c>grains_reminders</c> table of a <see cref="SqliteDatabase"/>.
/// Start times and periods are stored with microsecond precision.
/// </summary>
public sealed class SqliteReminderTable : IReminderTable
{
    private const string SelectPartition = """
        SELECT grain_id, name, start_at, period FROM grains_reminders WHERE partition_id = @partition_id ORDER BY grain_id, name
        """;

    private const string UpsertReminder = """
        INSERT INTO grains_reminders (grain_id, name, partition_id, start_at, period) VALUES (@grain_id, @name, @partition_id, @start_at, @period)
        ON CONFLICT (grain_id, name) DO UPDATE SET
            partition_id = excluded.partition_id, start_at = excluded.start_at, period = excluded.period
        """;

    private const string DeleteReminder = "DELETE FROM grains_reminders WHERE grain_id = @grain_id AND name = @name";

    private readonly SqliteDatabase _database;

    /// <summary>Creates the provider over <paramref name="database"/> (which it does not own).</summary>
    public SqliteReminderTable(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read(partition, static (commands, partition) =>
        {
            var command = commands.Get(SelectPartition);
            command.Parameters.AddWithValue("@partition_id", partition);
            using var reader = command.ExecuteReader();
            var entries = new List<ReminderEntry>();
            while (reader.Read())
            {
                entries.Add(new ReminderEntry(
                    GrainId.Parse(reader.GetString(0)),
                    reader.GetString(1),
                    SqliteTime.FromMicroseconds(reader.GetInt64(2)),
                    SqliteTime.DurationFromMicroseconds(reader.GetInt64(3)),
                    partition));
            }

            return (IReadOnlyList<ReminderEntry>)entries;
        }));
    }

    /// <inheritdoc />
    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Name);
        ArgumentOutOfRangeException.ThrowIfNegative(entry.Partition);
        return _database.EnqueueAsync(new UpsertOperation(entry), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _database.EnqueueAsync(new RemoveOperation(grainId, name), cancellationToken);
    }

    private sealed class UpsertOperation(ReminderEntry entry) : SqliteWriteOperation<bool>
    {
        public override string Kind => "reminder.upsert";

        protected override bool ExecuteCore(SqliteWriteContext context)
        {
            var command = context.Commands.Get(UpsertReminder);
            command.Parameters.AddWithValue("@grain_id", entry.GrainId.ToString());
            command.Parameters.AddWithValue("@name", entry.Name);
            command.Parameters.AddWithValue("@partition_id", entry.Partition);
            command.Parameters.AddWithValue("@start_at", SqliteTime.ToMicroseconds(entry.StartAt));
            command.Parameters.AddWithValue("@period", SqliteTime.ToMicroseconds(entry.Period));
            command.ExecuteNonQuery();
            return true;
        }
    }

    private sealed class RemoveOperation(GrainId grainId, string name) : SqliteWriteOperation<bool>
    {
        public override string Kind => "reminder.remove";

        protected override bool ExecuteCore(SqliteWriteContext context)
        {
            var command = context.Commands.Get(DeleteReminder);
            command.Parameters.AddWithValue("@grain_id", grainId.ToString());
            command.Parameters.AddWithValue("@name", name);
            return command.ExecuteNonQuery() > 0;
        }
    }
}
