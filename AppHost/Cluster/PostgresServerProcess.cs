using Npgsql;

namespace Grains.AppHost.Cluster;

/// <summary>
/// The local cluster's PostgreSQL server, started from this machine's binaries: <c>initdb</c> once
/// (data in <c>DIR/data</c>, the layout of <c>eng/pg-throwaway.sh</c>, so either can stop it), the
/// <c>postgres</c> server as a child whose log lines show as <c>[pg] ...</c>, listening on
/// 127.0.0.1 only (trust authentication, user <c>grains</c>, no Unix socket) on a free port, and the
/// database <c>grains</c> created when missing. It never runs as root: when the launcher is root,
/// every server program runs as the <c>postgres</c> user (through <c>runuser</c>) and owns the directory.
/// </summary>
public sealed class PostgresServerProcess
{
    /// <summary>The database user (created by initdb, trusted on 127.0.0.1).</summary>
    public const string UserName = "grains";

    /// <summary>The silos' database.</summary>
    public const string DatabaseName = "grains";

    /// <summary>The operating-system user the server runs as when the launcher is root.</summary>
    public const string ServerOsUser = "postgres";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresBinaries _binaries;
    private readonly ChildProcessLog _log;
    private readonly bool _asServerUser;

    private PostgresServerProcess(PostgresBinaries binaries, string directory, int port, ChildProcess server, ChildProcessLog log, bool asServerUser)
    {
        _binaries = binaries;
        Directory = directory;
        Port = port;
        Server = server;
        _log = log;
        _asServerUser = asServerUser;
    }

    /// <summary>The directory (the cluster files are in its <c>data</c> subdirectory).</summary>
    public string Directory { get; }

    /// <summary>The server's data directory.</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server process (under <c>runuser</c> when the launcher is root).</summary>
    public ChildProcess Server { get; }

    /// <summary>The Npgsql connection string of the silos' database.</summary>
    public string ConnectionString => ConnectionStringFor(DatabaseName);

    /// <summary>Initializes the directory when new, starts the server, waits for it and creates the database.</summary>
    public static async Task<PostgresServerProcess> StartAsync(PostgresBinaries binaries, string directory, ConsoleOutput console, CancellationToken cancellationToken)
    {
        directory = Path.GetFullPath(directory);
        var log = new ChildProcessLog("pg", console);
        var asServerUser = Native.IsRoot;
        System.IO.Directory.CreateDirectory(directory);
        if (asServerUser)
        {
            await HandDirectoryToServerUserAsync(directory, log, cancellationToken).ConfigureAwait(false);
        }

        var dataDirectory = Path.Combine(directory, "data");
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            console.Line($"[pg] initializing a new PostgreSQL cluster in {dataDirectory}");
            // Not cancelled by Ctrl+C: a killed initdb would leave a half-made cluster behind (it takes seconds).
            var initdb = await RunAsync(binaries.InitDb, ["-D", dataDirectory, "-U", UserName, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], asServerUser, log, TimeSpan.FromMinutes(2), CancellationToken.None).ConfigureAwait(false);
            if (initdb != 0)
            {
                throw new ClusterStartException($"initdb failed (exit code {initdb}) for {dataDirectory}; its output is above ([pg]).");
            }
        }

        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid"))
            && await RunAsync(binaries.PgCtl, ["status", "-D", dataDirectory], asServerUser, log, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false) == 0)
        {
            console.Line($"[pg] a server from an earlier run still runs on {dataDirectory}: stopping it");
            await RunAsync(binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60"], asServerUser, log, TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        }

        var port = FreePorts.Ephemeral();
        var (file, arguments) = AsOwner(binaries.Postgres,
            ["-D", dataDirectory, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=400"],
            asServerUser);
        var server = ChildProcess.Start(file, arguments, log);
        var postgres = new PostgresServerProcess(binaries, directory, port, server, log, asServerUser);
        try
        {
            await postgres.WaitReadyAsync(cancellationToken).ConfigureAwait(false);
            await postgres.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await postgres.StopAsync().ConfigureAwait(false);
            throw;
        }

        return postgres;
    }

    /// <summary>Fast shutdown (<c>pg_ctl stop -m fast</c>: sessions are ended, the server checkpoints and exits); kills it when that fails.</summary>
    public async Task StopAsync()
    {
        if (!Server.HasExited)
        {
            int code;
            try
            {
                code = await RunAsync(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], _asServerUser, _log, TimeSpan.FromSeconds(90), CancellationToken.None).ConfigureAwait(false);
            }
            catch (ClusterStartException)
            {
                code = -1;
            }

            if (code != 0 && !Server.HasExited)
            {
                _log.Write("pg_ctl stop failed: killing the server", isError: true);
                Server.Kill();
            }
        }

        try
        {
            await Server.Exited.WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Server.Kill();
        }
    }

    /// <summary>The command line that runs <paramref name="program"/> as the server's owner: through <c>runuser</c> when the launcher is root.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) AsOwner(string program, IReadOnlyList<string> arguments, bool asServerUser) =>
        asServerUser
            ? (FindRunuser(), ["-u", ServerOsUser, "--", program, .. arguments])
            : (program, arguments);

    private string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = UserName,
        Database = database,
    }.ConnectionString;

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var admin = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false, Timeout = 3 }.ConnectionString;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Server.HasExited)
            {
                throw new ClusterStartException($"PostgreSQL exited (code {await Server.Exited.ConfigureAwait(false)}) before it accepted connections; its log is above ([pg]).");
            }

            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new ClusterStartException($"PostgreSQL did not accept connections on 127.0.0.1:{Port} within {ReadyTimeout.TotalSeconds:0} s: {exception.Message}");
                }
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _log.Write($"created database {DatabaseName}");
        }
    }

    private static async Task HandDirectoryToServerUserAsync(string directory, ChildProcessLog log, CancellationToken cancellationToken)
    {
        if (await ChildProcess.RunAsync("id", ["-u", ServerOsUser], new ChildProcessLog("pg", new ConsoleOutput(TextWriter.Null, TextWriter.Null)), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new ClusterStartException(
                $"PostgreSQL refuses to run as root and there is no '{ServerOsUser}' user to run it as: create one (the postgresql package does), or start the AppHost as another user.");
        }

        if (await ChildProcess.RunAsync("chown", ["-R", ServerOsUser + ":", directory], log, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new ClusterStartException($"Could not hand {directory} to user '{ServerOsUser}' (chown failed).");
        }

        var (file, arguments) = AsOwner("test", ["-w", directory, "-a", "-x", directory], asServerUser: true);
        if (await ChildProcess.RunAsync(file, arguments, log, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new ClusterStartException(
                $"PostgreSQL runs as user '{ServerOsUser}', which cannot reach {directory} (a parent directory is closed to other users?): pass --data with a directory it can reach.");
        }
    }

    private static Task<int> RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser, ChildProcessLog log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (file, list) = AsOwner(program, arguments, asServerUser);
        return ChildProcess.RunAsync(file, list, log, timeout, cancellationToken);
    }

    private static string FindRunuser() =>
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";
}
