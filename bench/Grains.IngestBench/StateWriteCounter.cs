using Microsoft.Data.Sqlite;

namespace Grains.IngestBench;

/// <summary>
/// Counts grain-state writes of an embedded server exactly, in its own database: triggers on
/// <c>grains_grain_state</c> (Grains.Persistence.Sqlite) add one per inserted or updated row to a
/// bench table, inside the writer's own transaction, so a write counts if and only if it committed
/// (a stale-ETag write changes no row and fires nothing). The ETag is random per write, so the state
/// rows themselves cannot tell how often they were written. Costs one small upsert per state write.
/// </summary>
public static class StateWriteCounter
{
    private const string Install = """
        CREATE TABLE IF NOT EXISTS bench_state_writes (
            state_name TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            writes     INTEGER NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        );
        CREATE TRIGGER IF NOT EXISTS bench_state_inserted AFTER INSERT ON grains_grain_state BEGIN
            INSERT OR IGNORE INTO bench_state_writes (state_name, grain_id, writes) VALUES (NEW.state_name, NEW.grain_id, 0);
            UPDATE bench_state_writes SET writes = writes + 1 WHERE state_name = NEW.state_name AND grain_id = NEW.grain_id;
        END;
        CREATE TRIGGER IF NOT EXISTS bench_state_updated AFTER UPDATE ON grains_grain_state BEGIN
            INSERT OR IGNORE INTO bench_state_writes (state_name, grain_id, writes) VALUES (NEW.state_name, NEW.grain_id, 0);
            UPDATE bench_state_writes SET writes = writes + 1 WHERE state_name = NEW.state_name AND grain_id = NEW.grain_id;
        END;
        """;

    /// <summary>Installs the triggers in <c>{dataDirectory}/grains.db</c> (the server running: waits for its writer).</summary>
    public static async Task InstallAsync(string dataDirectory)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var command = new SqliteCommand(Install, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Writes so far per state name (e.g. <c>issue</c>, <c>project</c>), and the most any one grain of that name got.</summary>
    public static async Task<IReadOnlyDictionary<string, (long Writes, long Grains, long MostForOneGrain)>> ReadAsync(string dataDirectory)
    {
        var result = new Dictionary<string, (long, long, long)>();
        await using var connection = await OpenAsync(dataDirectory);
        await using var command = new SqliteCommand("SELECT state_name, sum(writes), count(*), max(writes) FROM bench_state_writes GROUP BY state_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }

        return result;
    }

    private static async Task<SqliteConnection> OpenAsync(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "grains.db"),
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = 30,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        await using var busy = new SqliteCommand("PRAGMA busy_timeout = 30000", connection);
        await busy.ExecuteNonQueryAsync();
        return connection;
    }
}
