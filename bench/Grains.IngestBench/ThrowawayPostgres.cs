using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Grains.IngestBench;

/// <summary>
/// The throwaway PostgreSQL of a cluster run (<c>eng/pg-throwaway.sh</c>: never as root, loopback
/// only), restarted once with <c>pg_stat_statements</c> preloaded. One database per measured mode.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _directory;

    private ThrowawayPostgres(string root, string directory, string connectionString)
    {
        _root = root;
        _directory = directory;
        BaseConnectionString = connectionString;
    }

    /// <summary>The script's connection string (database <c>grains</c>).</summary>
    public string BaseConnectionString { get; }

    /// <summary>The postmaster's process id (its children are the backends and background workers).</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_directory, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    public static async Task<ThrowawayPostgres> StartAsync(string root, string directory)
    {
        var connectionString = (await ScriptAsync(root, "start", directory)).Trim().Split('\n')[^1];
        var server = new ThrowawayPostgres(root, directory, connectionString);
        try
        {
            await using (var connection = await server.OpenAsync("postgres"))
            {
                await Exec(connection, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            }

            // Restart on the same port so the library loads.
            var port = File.ReadAllText(Path.Combine(directory, "port")).Trim();
            NpgsqlConnection.ClearAllPools();
            await ScriptAsync(root, "stop", directory);
            await ScriptAsync(root, "start", directory, port);
            await using (var connection = await server.OpenAsync("postgres"))
            {
                await Exec(connection, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                // BEGIN/COMMIT/DISCARD are pipelined with the statements by Npgsql: not round trips of their own.
                await Exec(connection, "ALTER SYSTEM SET pg_stat_statements.track_utility = off");
                await Exec(connection, "SELECT pg_reload_conf()");
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(BaseConnectionString) { Database = database }.ConnectionString;

    public async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = await OpenAsync("postgres");
        await Exec(connection, $"DROP DATABASE IF EXISTS {name}");
        await Exec(connection, $"CREATE DATABASE {name}");
    }

    /// <summary>A setting of the server, as <c>SHOW</c> prints it.</summary>
    public async Task<string> ShowAsync(string setting)
    {
        await using var connection = await OpenAsync("postgres");
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async Task<string> VersionAsync()
    {
        await using var connection = await OpenAsync("postgres");
        await using var command = new NpgsqlCommand("SELECT split_part(version(), ' on ', 1)", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Counters of the server and of <paramref name="database"/> now; differences of two snapshots are the cost of what ran between them.</summary>
    public async Task<PostgresSnapshot> SnapshotAsync(string database)
    {
        await using var connection = await OpenAsync("postgres");
        await using var command = new NpgsqlCommand("""
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                   w.wal_records, w.wal_fpi, w.wal_bytes::bigint, w.wal_write, w.wal_sync,
                   d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_deleted, d.blks_read, d.blks_hit
            FROM pg_stat_wal w, pg_stat_database d WHERE d.datname = @db
            """, connection);
        command.Parameters.AddWithValue("db", database);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var snapshot = new PostgresSnapshot(
            DateTime.UtcNow,
            ProcCpu.TreeSeconds(PostmasterPid),
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
            reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12));
        return snapshot;
    }

    /// <summary>What the active backends of <paramref name="database"/> wait on right now (wait event, or CPU when none), added to <paramref name="counts"/>.</summary>
    public static async Task SampleWaitsAsync(NpgsqlConnection connection, string database, Dictionary<string, int> counts)
    {
        // Lock waits name the statement that waits; "idle in transaction" is a backend holding its
        // transaction (and its row locks) open while the client has not sent the next statement.
        await using var command = new NpgsqlCommand("""
            SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'CPU (no wait event)') ELSE state END
                   || CASE WHEN state = 'active' AND wait_event_type = 'Lock' THEN ' (' || left(regexp_replace(query, '\s+', ' ', 'g'), 40) || '…)' ELSE '' END,
                   count(*)::int
            FROM pg_stat_activity
            WHERE datname = @db AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()
            GROUP BY 1
            """, connection);
        command.Parameters.AddWithValue("db", database);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = counts.GetValueOrDefault(reader.GetString(0)) + reader.GetInt32(1);
        }
    }

    /// <summary>Clears pg_stat_statements (call at the start of a measured window).</summary>
    public async Task ResetStatementsAsync()
    {
        await using var connection = await OpenAsync("postgres");
        await Exec(connection, "SELECT pg_stat_statements_reset()");
    }

    /// <summary>The statements that ran in <paramref name="database"/> since the last reset, by total execution time.</summary>
    public async Task<IReadOnlyList<StatementStats>> StatementsAsync(string database)
    {
        await using var connection = await OpenAsync("postgres");
        await using var command = new NpgsqlCommand("""
            SELECT regexp_replace(query, '\s+', ' ', 'g'), calls, total_exec_time, rows, wal_bytes::bigint
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = @db ORDER BY total_exec_time DESC
            """, connection);
        command.Parameters.AddWithValue("db", database);
        await using var reader = await command.ExecuteReaderAsync();
        var statements = new List<StatementStats>();
        while (await reader.ReadAsync())
        {
            statements.Add(new StatementStats(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return statements;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await ScriptAsync(_root, "stop", _directory);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
        }
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScriptAsync(string root, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(root, "eng", "pg-throwaway.sh"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg-throwaway.sh {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}

/// <summary>Cumulative counters of the PostgreSQL server (WAL, CPU) and of one database (transactions, tuples, blocks).</summary>
public sealed record PostgresSnapshot(
    DateTime At,
    double CpuSeconds,
    long WalLsn,
    long WalRecords,
    long WalFullPageImages,
    long WalBytes,
    long WalWrites,
    long WalSyncs,
    long Commits,
    long Rollbacks,
    long TuplesInserted,
    long TuplesUpdated,
    long TuplesDeleted,
    long BlocksRead,
    long BlocksHit)
{
    public PostgresSnapshot Minus(PostgresSnapshot earlier) => new(
        At,
        CpuSeconds - earlier.CpuSeconds,
        WalLsn - earlier.WalLsn,
        WalRecords - earlier.WalRecords,
        WalFullPageImages - earlier.WalFullPageImages,
        WalBytes - earlier.WalBytes,
        WalWrites - earlier.WalWrites,
        WalSyncs - earlier.WalSyncs,
        Commits - earlier.Commits,
        Rollbacks - earlier.Rollbacks,
        TuplesInserted - earlier.TuplesInserted,
        TuplesUpdated - earlier.TuplesUpdated,
        TuplesDeleted - earlier.TuplesDeleted,
        BlocksRead - earlier.BlocksRead,
        BlocksHit - earlier.BlocksHit);
}

/// <summary>One normalized statement of pg_stat_statements.</summary>
public sealed record StatementStats(string Query, long Calls, double TotalMs, long Rows, long WalBytes);
