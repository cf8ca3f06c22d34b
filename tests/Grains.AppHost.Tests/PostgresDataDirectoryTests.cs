using System.Diagnostics;
using Grains.AppHost.Postgres;
using Grains.AppHost.Tests.Support;

namespace Grains.AppHost.Tests;

/// <summary>The PostgreSQL directory the AppHost prepares before the model starts, against this machine's real binaries (as root: through runuser).</summary>
public sealed class PostgresDataDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grains-apphost-pgdir-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly StringWriter _progress = new();

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

    [Fact]
    public void Initializes_once_and_reuses_the_directory()
    {
        var first = PostgresDataDirectory.Prepare(Binaries(), _directory, _progress);
        Assert.True(File.Exists(Path.Combine(first.DataDirectory, "PG_VERSION")));
        Assert.Contains("initializing a new PostgreSQL cluster", _progress.ToString(), StringComparison.Ordinal);
        var marker = Path.Combine(first.DataDirectory, "PG_VERSION");
        var written = File.GetLastWriteTimeUtc(marker);

        _progress.GetStringBuilder().Clear();
        PostgresDataDirectory.Prepare(Binaries(), _directory, _progress);
        Assert.Equal("", _progress.ToString());
        Assert.Equal(written, File.GetLastWriteTimeUtc(marker));
    }

    [Fact]
    public async Task A_server_left_running_by_an_earlier_run_is_stopped()
    {
        // eng/pg-throwaway.sh uses the same layout (DIR/data) and leaves the server running.
        var script = Path.Combine(AppHostRun.RepositoryRoot(), "eng", "pg-throwaway.sh");
        using (var throwaway = Process.Start(new ProcessStartInfo("bash", [script, "start", _directory]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await throwaway.WaitForExitAsync();
            Assert.Equal(0, throwaway.ExitCode);
        }

        Assert.NotEmpty(ProcessTable.Using(_directory));

        PostgresDataDirectory.Prepare(Binaries(), _directory, _progress);

        Assert.Contains("a server from an earlier run still runs", _progress.ToString(), StringComparison.Ordinal);
        // pg_ctl returns once the server removed its pid file, a moment before the process ends.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (ProcessTable.Using(_directory).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(ProcessTable.Using(_directory));
    }

    [Fact]
    public void As_root_every_program_runs_as_the_postgres_user()
    {
        var (file, arguments) = PostgresDataDirectory.AsOwner("/usr/lib/postgresql/15/bin/postgres", ["-D", "x"], asServerUser: true);
        Assert.EndsWith("runuser", file, StringComparison.Ordinal);
        Assert.Equal(["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/postgres", "-D", "x"], arguments);
        var (plain, plainArguments) = PostgresDataDirectory.AsOwner("postgres", ["-D", "x"], asServerUser: false);
        Assert.Equal("postgres", plain);
        Assert.Equal(["-D", "x"], plainArguments);
    }
}
