using System.Diagnostics;
using Grains.AppHost.Cluster;
using Grains.AppHost.Tests.Support;
using Npgsql;

namespace Grains.AppHost.Tests;

/// <summary>The launcher's PostgreSQL server against this machine's real binaries (as root, through runuser).</summary>
public sealed class PostgresServerProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grains-apphost-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        foreach (var pid in ProcessTable.Using(_directory))
        {
            Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static PostgresBinaries Binaries() =>
        PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.NotFoundMessage);

    private ConsoleOutput Console() => new(_out, _error);

    private static async Task<string?> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    [Fact]
    public async Task Initializes_once_starts_creates_the_database_stops_and_reuses_the_directory()
    {
        var first = await PostgresServerProcess.StartAsync(Binaries(), _directory, Console(), CancellationToken.None);
        Assert.Equal("grains", await QueryAsync(first.ConnectionString, "SELECT current_database()"));
        await QueryAsync(first.ConnectionString, "CREATE TABLE kept (id int)");
        Assert.Contains("[pg] initializing a new PostgreSQL cluster", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("[pg] created database grains", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("ready to accept connections", _out.ToString() + _error.ToString(), StringComparison.Ordinal);

        await first.StopAsync();
        Assert.True(first.Server.HasExited);
        Assert.Empty(ProcessTable.Using(_directory));

        _out.GetStringBuilder().Clear();
        var second = await PostgresServerProcess.StartAsync(Binaries(), _directory, Console(), CancellationToken.None);
        try
        {
            Assert.DoesNotContain("initializing", _out.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("created database", _out.ToString(), StringComparison.Ordinal);
            Assert.Equal("0", await QueryAsync(second.ConnectionString, "SELECT count(*) FROM kept"));
        }
        finally
        {
            await second.StopAsync();
        }

        Assert.Empty(ProcessTable.Using(_directory));
    }

    [Fact]
    public async Task The_server_never_runs_as_root()
    {
        var server = await PostgresServerProcess.StartAsync(Binaries(), _directory, Console(), CancellationToken.None);
        try
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First());
            var uid = File.ReadLines($"/proc/{postmaster}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            Assert.NotEqual("0", uid);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task A_server_left_running_on_the_directory_is_stopped_first()
    {
        // A server started by eng/pg-throwaway.sh (the same layout), as if a launcher had been killed.
        var script = Path.Combine(RepositoryRoot(), "eng", "pg-throwaway.sh");
        using (var throwaway = Process.Start(new ProcessStartInfo("bash", [script, "start", _directory]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await throwaway.WaitForExitAsync();
            Assert.Equal(0, throwaway.ExitCode);
        }

        var server = await PostgresServerProcess.StartAsync(Binaries(), _directory, Console(), CancellationToken.None);
        try
        {
            Assert.Contains("a server from an earlier run still runs", _out.ToString(), StringComparison.Ordinal);
            Assert.Equal("grains", await QueryAsync(server.ConnectionString, "SELECT current_database()"));
        }
        finally
        {
            await server.StopAsync();
        }

        Assert.Empty(ProcessTable.Using(_directory));
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Grains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Grains.sln not found above " + AppContext.BaseDirectory);
    }
}
