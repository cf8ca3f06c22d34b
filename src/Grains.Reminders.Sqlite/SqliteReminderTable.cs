using System.Globalization;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Grains.Reminders.Sqlite;

/// <summary>
/// Orleans' reminder table in the <c>grains_reminder_table</c> table of the shared
/// <see cref="SqliteDatabase"/>: durable reminders for the embedded default. Upserts and removals
/// join the writer's group-commit transactions and complete after they committed.
/// </summary>
/// <remarks>
/// Orleans' contract: <see cref="UpsertRow"/> replaces the row unconditionally and returns its new
/// ETag; <see cref="RemoveRow"/> removes it only if the ETag still matches (a reminder re-registered
/// meanwhile is not removed by a stale unregister). Range reads follow Orleans' ring: the range
/// (begin, end] when begin &lt; end, and the wrapped range (begin, max] ∪ [0, end] otherwise (begin
/// = end is the whole ring).
/// </remarks>
public sealed class SqliteReminderTable : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period, etag";

    private const string SelectByGrain = $"SELECT {Columns} FROM grains_reminder_table WHERE service_id = @service_id AND grain_id = @grain_id";

    private const string SelectRow = $"SELECT {Columns} FROM grains_reminder_table WHERE service_id = @service_id AND grain_id = @grain_id AND reminder_name = @reminder_name";

    private const string SelectInside = $"SELECT {Columns} FROM grains_reminder_table WHERE service_id = @service_id AND grain_hash > @begin AND grain_hash <= @end";

    private const string SelectWrapped = $"SELECT {Columns} FROM grains_reminder_table WHERE service_id = @service_id AND (grain_hash > @begin OR grain_hash <= @end)";

    private const string Upsert = """
        INSERT INTO grains_reminder_table (service_id, grain_id, reminder_name, grain_hash, start_at, period, etag)
        VALUES (@service_id, @grain_id, @reminder_name, @grain_hash, @start_at, @period, @etag)
        ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET start_at = excluded.start_at, period = excluded.period, etag = excluded.etag
        """;

    private const string Delete = "DELETE FROM grains_reminder_table WHERE service_id = @service_id AND grain_id = @grain_id AND reminder_name = @reminder_name AND etag = @etag";

    private const string DeleteAll = "DELETE FROM grains_reminder_table WHERE service_id = @service_id";

    private readonly SqliteDatabase _database;
    private readonly string _serviceId;

    /// <summary>Creates the table over the shared database (the schema is migrated in <see cref="StartAsync"/>).</summary>
    /// <param name="database">The shared database.</param>
    /// <param name="clusterOptions">Orleans' cluster options: reminders of other service ids in the same file are invisible.</param>
    public SqliteReminderTable(SqliteDatabase database, IOptions<ClusterOptions> clusterOptions)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        _database = database;
        _serviceId = clusterOptions.Value.ServiceId;
    }

    /// <summary>Brings the table to the newest schema (one write through the shared writer).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _database.Migrate(SqliteReminderTableSchema.Component, SqliteReminderTableSchema.Migrations);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(new ReminderTableData(Query(SelectByGrain, command => command.Parameters.AddWithValue("@grain_id", grainId.ToString()))));

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(new ReminderTableData(Query(begin < end ? SelectInside : SelectWrapped, command =>
        {
            // Stored as the unsigned value in a 64-bit integer, so SQL compares ring positions as Orleans does.
            command.Parameters.AddWithValue("@begin", (long)begin);
            command.Parameters.AddWithValue("@end", (long)end);
        })));

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        var rows = Query(SelectRow, command =>
        {
            command.Parameters.AddWithValue("@grain_id", grainId.ToString());
            command.Parameters.AddWithValue("@reminder_name", reminderName);
        });
        return Task.FromResult(rows.Count == 0 ? null : rows[0]);
    }

    /// <inheritdoc />
    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.ReminderName);
        var etag = Random.Shared.NextInt64(1, long.MaxValue);
        var row = (
            ServiceId: _serviceId,
            GrainId: entry.GrainId.ToString(),
            entry.ReminderName,
            Hash: (long)entry.GrainId.GetUniformHashCode(),
            StartAt: SqliteTime.ToMicroseconds(new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc))),
            Period: SqliteTime.ToMicroseconds(entry.Period),
            ETag: etag);
        await _database.WriteAsync("reminder.upsert", row, static (connection, row) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Upsert;
            command.Parameters.AddWithValue("@service_id", row.ServiceId);
            command.Parameters.AddWithValue("@grain_id", row.GrainId);
            command.Parameters.AddWithValue("@reminder_name", row.ReminderName);
            command.Parameters.AddWithValue("@grain_hash", row.Hash);
            command.Parameters.AddWithValue("@start_at", row.StartAt);
            command.Parameters.AddWithValue("@period", row.Period);
            command.Parameters.AddWithValue("@etag", row.ETag);
            return command.ExecuteNonQuery();
        }).ConfigureAwait(false);
        return FormatETag(etag);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        ArgumentNullException.ThrowIfNull(reminderName);
        if (!long.TryParse(eTag, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var etag))
        {
            return false; // Not an ETag this table made: it matches no row.
        }

        var row = (ServiceId: _serviceId, GrainId: grainId.ToString(), ReminderName: reminderName, ETag: etag);
        return await _database.WriteAsync("reminder.remove", row, static (connection, row) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = Delete;
            command.Parameters.AddWithValue("@service_id", row.ServiceId);
            command.Parameters.AddWithValue("@grain_id", row.GrainId);
            command.Parameters.AddWithValue("@reminder_name", row.ReminderName);
            command.Parameters.AddWithValue("@etag", row.ETag);
            return command.ExecuteNonQuery() == 1;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task TestOnlyClearTable() => _database.WriteAsync("reminder.clear", _serviceId, static (connection, serviceId) =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = DeleteAll;
        command.Parameters.AddWithValue("@service_id", serviceId);
        return command.ExecuteNonQuery();
    });

    private static string FormatETag(long etag) => etag.ToString("x16", CultureInfo.InvariantCulture);

    private List<ReminderEntry> Query(string sql, Action<SqliteCommand> bind) =>
        _database.Read((Sql: sql, Bind: bind, ServiceId: _serviceId), static (connection, s) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = s.Sql;
            command.Parameters.AddWithValue("@service_id", s.ServiceId);
            s.Bind(command);
            using var reader = command.ExecuteReader();
            var rows = new List<ReminderEntry>();
            while (reader.Read())
            {
                rows.Add(new ReminderEntry
                {
                    GrainId = GrainId.Parse(reader.GetString(0)),
                    ReminderName = reader.GetString(1),
                    StartAt = SqliteTime.FromMicroseconds(reader.GetInt64(2)).UtcDateTime,
                    Period = SqliteTime.DurationFromMicroseconds(reader.GetInt64(3)),
                    ETag = FormatETag(reader.GetInt64(4)),
                });
            }

            return rows;
        });
}
