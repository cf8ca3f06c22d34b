using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary><see cref="IWorkflowStore"/> in the shared <see cref="SqliteDatabase"/> (monitoring schema version 6).</summary>
public sealed class SqliteWorkflowStore : RelationalWorkflowStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteWorkflowStore(SqliteDatabase database)
        : base(new SqliteStoreCommands(database)) =>
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);

    /// <summary>The statements of <paramref name="w"/> on the writer connection (the issue store's batch commit runs them in its own operation).</summary>
    internal static void Write(SqliteConnection connection, WorkflowWrite w)
    {
        foreach (var statement in WorkflowSql.Statements(w, SqlDialect.Sqlite))
        {
            connection.Prepared(statement).ExecuteNonQuery();
        }
    }
}
