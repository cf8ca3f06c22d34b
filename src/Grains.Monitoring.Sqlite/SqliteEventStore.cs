using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary><see cref="IEventStore"/> in the <c>events</c> table of the shared <see cref="SqliteDatabase"/>.</summary>
public sealed class SqliteEventStore : RelationalEventStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteEventStore(SqliteDatabase database)
        : base(new SqliteStoreCommands(database)) =>
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);

    /// <summary>Inserts one event row on the writer connection; false when the project already has its id.</summary>
    internal static bool Insert(SqliteConnection connection, StoredEvent e, byte[] payload, long size) =>
        connection.Prepared(IssueBatchSql.InsertEvent)
            .Set("@project_id", e.ProjectId)
            .Set("@event_id", e.EventId)
            .Set("@issue_id", e.IssueId)
            .Set("@event_timestamp", StoreTime.ToMicroseconds(e.Timestamp))
            .Set("@received", StoreTime.ToMicroseconds(e.Received))
            .Set("@stream_offset", e.StreamOffset)
            .Set("@title", e.Title)
            .Set("@message", e.Message)
            .Set("@platform", e.Platform)
            .Set("@event_type", e.Type)
            .Set("@payload_size", size)
            .Set("@payload", payload)
            .ExecuteNonQuery() == 1;
}
