using System.Diagnostics;

namespace Grains.AppHost.Postgres;

/// <summary>
/// The local PostgreSQL server's directory, made ready before the app model runs: created, handed to
/// the <c>postgres</c> user when the AppHost is root (PostgreSQL refuses to run as root), initialized
/// by <c>initdb</c> once (cluster files in <c>DIR/data</c>, user <c>grains</c>, trust authentication on
/// 127.0.0.1), and freed of a server an earlier run left behind.
/// </summary>
public sealed class PostgresDataDirectory
{
    /// <summary>The database user (created by initdb, trusted on 127.0.0.1).</summary>
    public const string UserName = "grains";

    /// <summary>The operating-system user the server runs as when the AppHost is root.</summary>
    public const string ServerOsUser = "postgres";

    private PostgresDataDirectory(PostgresBinaries binaries, string directory, bool asServerUser)
    {
        Binaries = binaries;
        Directory = directory;
        AsServerUser = asServerUser;
    }

    /// <summary>The server programs.</summary>
    public PostgresBinaries Binaries { get; }

    /// <summary>The directory (absolute); the cluster files are in its <c>data</c> subdirectory.</summary>
    public string Directory { get; }

    /// <summary>The server's data directory.</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>Whether the server programs run as <see cref="ServerOsUser"/> (the AppHost is root).</summary>
    public bool AsServerUser { get; }

    /// <summary>Prepares <paramref name="directory"/>; throws <see cref="InvalidOperationException"/> saying what failed.</summary>
    public static PostgresDataDirectory Prepare(PostgresBinaries binaries, string directory, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(binaries);
        ArgumentNullException.ThrowIfNull(progress);
        directory = Path.GetFullPath(directory);
        var prepared = new PostgresDataDirectory(binaries, directory, Native.IsRoot);
        System.IO.Directory.CreateDirectory(directory);
        if (prepared.AsServerUser)
        {
            if (Run("id", ["-u", ServerOsUser], TimeSpan.FromSeconds(10)).ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL refuses to run as root and there is no '{ServerOsUser}' user to run it as: create one (the postgresql package does), or start the AppHost as another user.");
            }

            Require(Run("chown", ["-R", ServerOsUser + ":", directory], TimeSpan.FromMinutes(2)), $"Could not hand {directory} to user '{ServerOsUser}' (chown)");
            if (prepared.RunAsOwner("test", ["-w", directory, "-a", "-x", directory], TimeSpan.FromSeconds(10)).ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL runs as user '{ServerOsUser}', which cannot reach {directory} (a parent directory is closed to other users?): pass --data with a directory it can reach.");
            }
        }

        if (!File.Exists(Path.Combine(prepared.DataDirectory, "PG_VERSION")))
        {
            progress.WriteLine($"postgres: initializing a new PostgreSQL cluster in {prepared.DataDirectory}");
            Require(
                prepared.RunAsOwner(binaries.InitDb, ["-D", prepared.DataDirectory, "-U", UserName, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], TimeSpan.FromMinutes(2)),
                $"initdb failed for {prepared.DataDirectory}");
        }

        // A server of an earlier run that was killed with its AppHost would hold the directory.
        if (File.Exists(Path.Combine(prepared.DataDirectory, "postmaster.pid"))
            && prepared.RunAsOwner(binaries.PgCtl, ["status", "-D", prepared.DataDirectory], TimeSpan.FromSeconds(30)).ExitCode == 0)
        {
            progress.WriteLine($"postgres: a server from an earlier run still runs on {prepared.DataDirectory}: stopping it");
            prepared.RunAsOwner(binaries.PgCtl, ["stop", "-D", prepared.DataDirectory, "-m", "fast", "-w", "-t", "60"], TimeSpan.FromSeconds(90));
        }

        return prepared;
    }

    /// <summary>The command line that runs <paramref name="program"/> as the directory's owner: through <c>runuser</c> when the AppHost is root.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) AsOwner(string program, IReadOnlyList<string> arguments) => AsOwner(program, arguments, AsServerUser);

    /// <summary>The command line that runs <paramref name="program"/> as <see cref="ServerOsUser"/> when <paramref name="asServerUser"/>.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) AsOwner(string program, IReadOnlyList<string> arguments, bool asServerUser) =>
        asServerUser
            ? (FindRunuser(), ["-u", ServerOsUser, "--", program, .. arguments])
            : (program, arguments);

    private (int ExitCode, string Output) RunAsOwner(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var (file, list) = AsOwner(program, arguments);
        return Run(file, list, timeout);
    }

    private static void Require((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} (exit code {result.ExitCode}): {result.Output.Trim()}");
        }
    }

    private static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return (process.ExitCode, output.Result + errors.Result);
    }

    private static string FindRunuser() =>
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";
}
