using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;
using Npgsql;

namespace Grains.Monitoring.Postgres;

/// <summary>
/// <see cref="IWorkflowStore"/> in a shared <see cref="PostgresDatabase"/>: a turn's write is one batch (one
/// implicit transaction), its release upserts guarded (<see cref="SqlDialect.GuardsRepeatedUpserts"/>).
/// </summary>
public sealed class PostgresWorkflowStore : RelationalWorkflowStore
{
    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresWorkflowStore(PostgresDatabase database)
        : base(PostgresStoreCommands.Monitoring(database))
    {
    }

    /// <summary>Adds the statements of <paramref name="write"/> (the issue store's batch commit sends them in its own transaction).</summary>
    internal static void AddStatements(List<NpgsqlBatchCommand> statements, WorkflowWrite write)
    {
        foreach (var statement in WorkflowSql.Statements(write, SqlDialect.Postgres))
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            command.Parameters.Bind(statement);
            statements.Add(command);
        }
    }
}
