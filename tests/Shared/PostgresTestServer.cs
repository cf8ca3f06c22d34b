using System.Diagnostics;
using Npgsql;

namespace Grains.Testing;

/// <summary>
/// The PostgreSQL server the tests use: the one named by <c>GRAINS_TEST_POSTGRES</c> (a connection
/// string; <c>test.sh</c> starts a throwaway server and sets it), or else a throwaway server this
/// process starts with <c>eng/pg-throwaway.sh</c> and stops when it exits. Each test gets a fresh
/// database from <see cref="CreateDatabaseAsync"/>, so tests never see each other's rows.
/// </summary>
public static class PostgresTestServer
{
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of the server's maintenance database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    private static string Start()
    {
        var configured = Environment.GetEnvironmentVariable("GRAINS_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var script = FindScript();
        var directory = Path.Combine(Path.GetTempPath(), "grains-pg-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        var output = Run(script, "start", directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(script, "stop", directory);
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception)
            {
                // Best effort: a leftover temp server directory is harmless.
            }
        };
        return output.Trim().Split('\n')[^1];
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "eng", "pg-throwaway.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("eng/pg-throwaway.sh not found above " + AppContext.BaseDirectory + "; set GRAINS_TEST_POSTGRES to a PostgreSQL connection string.");
    }

    private static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} did not finish in 120 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }
}
