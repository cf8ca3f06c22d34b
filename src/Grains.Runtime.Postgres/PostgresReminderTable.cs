using Grains.Runtime.Reminders;
using Npgsql;

namespace Grains.Runtime.Postgres;

/// <summary>
/// <see cref="IReminderTable"/> in the <c>grains_reminders</c> table of a <see cref="PostgresDatabase"/>.
/// Each row keeps the grain's partition (as the caller computed it, like the SQLite provider), indexed
/// so a silo reads only the partitions it owns. Start times and periods have microsecond precision.
/// </summary>
public sealed class PostgresReminderTable : IReminderTable
{
    // Ordinal ("C") order whatever the database's collation, as SQLite's binary order.
    private const string SelectPartition = """
        SELECT grain_id, name, start_at, period FROM grains_reminders WHERE partition_id = $1
        ORDER BY grain_id COLLATE "C", name COLLATE "C"
        """;

    private const string UpsertReminder = """
        INSERT INTO grains_reminders (grain_id, name, partition_id, start_at, period) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (grain_id, name) DO UPDATE SET
            partition_id = excluded.partition_id, start_at = excluded.start_at, period = excluded.period
        """;

    private const string DeleteReminder = "DELETE FROM grains_reminders WHERE grain_id = $1 AND name = $2";

    private readonly PostgresDatabase _database;

    /// <summary>Creates the provider over <paramref name="database"/> (which it does not own).</summary>
    public PostgresReminderTable(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        return _database.ExecuteAsync("reminder.read", partition, static async (connection, partition, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(SelectPartition, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var entries = new List<ReminderEntry>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new ReminderEntry(
                    GrainId.Parse(reader.GetString(0)),
                    reader.GetString(1),
                    PostgresTime.FromMicroseconds(reader.GetInt64(2)),
                    PostgresTime.DurationFromMicroseconds(reader.GetInt64(3)),
                    partition));
            }

            return (IReadOnlyList<ReminderEntry>)entries;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.Name);
        ArgumentOutOfRangeException.ThrowIfNegative(entry.Partition);
        return _database.ExecuteAsync("reminder.upsert", entry, static async (connection, entry, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(UpsertReminder, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.GrainId.ToString() });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Name });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.Partition });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresTime.ToMicroseconds(entry.StartAt) });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresTime.ToMicroseconds(entry.Period) });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _database.ExecuteAsync("reminder.remove", (grainId, name), static async (connection, key, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(DeleteReminder, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.grainId.ToString() });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.name });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);
    }
}
