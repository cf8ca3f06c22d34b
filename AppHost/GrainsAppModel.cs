using System.Globalization;
using Grains.AppHost.Postgres;

namespace Grains.AppHost;

/// <summary>
/// The resources of Grains in an Aspire app model, from the command line: N silos of
/// <c>src/Grains.Server</c> (each its own resource with its own port, so an operator or a test can
/// reach and stop one silo), forming one Orleans cluster through <c>Aspire.Hosting.Orleans</c>; and,
/// with <c>--postgres</c>, the PostgreSQL server they store on.
/// </summary>
public sealed class GrainsAppModel
{
    /// <summary>The PostgreSQL server resource's name.</summary>
    public const string PostgresResourceName = "postgres";

    /// <summary>
    /// The Orleans service and cluster id, pinned: Aspire generates new ones per run otherwise, and grain
    /// state is keyed by the service id (the previous run's state would not be found). The same as the
    /// silo's own default (Grains.Server's SiloDefaults; a test keeps them equal), so a silo started
    /// without the AppHost finds the same state.
    /// </summary>
    public const string OrleansId = "grains";

    /// <summary>The connection string's name: the silos read <c>ConnectionStrings:grains</c>.</summary>
    public const string ConnectionName = "grains";

    /// <summary>
    /// The Orleans provider type the silos are told to use for membership, grain state and reminders on
    /// PostgreSQL: Grains' own registration (Grains.Postgres: Orleans' ADO.NET providers with the
    /// official scripts applied at start), which reads Aspire's <c>ServiceKey</c>. Aspire's default for a
    /// plain connection string, <c>ConnectionString</c>, is a provider type no Orleans package knows.
    /// </summary>
    public const string OrleansProviderType = "Postgres";

    private GrainsAppModel(IReadOnlyList<SiloResource> silos, string dataRoot, bool postgres)
    {
        Silos = silos;
        DataRoot = dataRoot;
        Postgres = postgres;
    }

    /// <summary>The silos, in order.</summary>
    public IReadOnlyList<SiloResource> Silos { get; }

    /// <summary>The data root (absolute).</summary>
    public string DataRoot { get; }

    /// <summary>Whether the silos store on PostgreSQL.</summary>
    public bool Postgres { get; }

    /// <summary>The first silo's admin-token file (written by its first start; the token is printed from it).</summary>
    public string AdminTokenFile => Path.Combine(Silos[0].DataDirectory, "admin-token");

    /// <summary>The first silo's owner-password file (the dashboard owner's email and one-time password, written by its first start).</summary>
    public string OwnerPasswordFile => Path.Combine(Silos[0].DataDirectory, "owner-password");

    /// <summary>Adds the resources to <paramref name="builder"/>; <paramref name="progress"/> hears about slow preparation (initdb) and moved ports.</summary>
    public static GrainsAppModel AddTo(IDistributedApplicationBuilder builder, AppHostCommandLine commandLine, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(progress);
        var dataRoot = Path.GetFullPath(commandLine.DataDirectory);
        var ports = FreePorts.Pick(commandLine.PublicPort, commandLine.Silos);
        ReportMovedPorts(progress, commandLine.PublicPort, ports);

        var orleans = builder.AddOrleans("orleans").WithServiceId(OrleansId).WithClusterId(OrleansId);
        IResourceBuilder<ExecutableResource>? postgres = null;
        IResourceBuilder<ConnectionStringResource>? database = null;
        if (commandLine.Postgres)
        {
            var binaries = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.NotFoundMessage);
            var directory = PostgresDataDirectory.Prepare(binaries, Path.Combine(dataRoot, "pg"), progress);
            (postgres, database) = builder.AddLocalPostgres(PostgresResourceName, ConnectionName, directory, FreePorts.Ephemeral());
            database.WithOrleansProviderType(OrleansProviderType);
            orleans.WithClustering(database).WithGrainStorage("Default", database).WithReminders(database);
        }
        else
        {
            // One SQLite silo. Development clustering makes every silo its own primary: with more than
            // one silo it would start separate one-silo clusters (the command line allows one).
            orleans.WithDevelopmentClustering();
        }

        // One SQLite silo keeps its database in the data root itself (where the embedded server keeps
        // it); silos of a cluster each get their own directory.
        var silos = Enumerable.Range(1, commandLine.Silos)
            .Select(i => new SiloResource(
                $"silo{i}",
                $"http://127.0.0.1:{ports[i - 1].ToString(CultureInfo.InvariantCulture)}",
                commandLine.Postgres ? Path.Combine(dataRoot, $"silo{i}") : dataRoot,
                Seeds: i == 1))
            .ToList();
        foreach (var silo in silos)
        {
            Directory.CreateDirectory(silo.DataDirectory);
            var project = builder.AddProject<Projects.Grains_Server>(silo.Name, options => options.ExcludeLaunchProfile = true)
                .WithHttpEndpoint(port: new Uri(silo.Url).Port, name: "http", isProxied: false)
                .WithHttpHealthCheck("/health")
                .WithReference(orleans)
                .WithEnvironment("Grains__Url", silo.Url)
                .WithEnvironment("Grains__PublicUrl", silo.Url)
                .WithEnvironment("Grains__DataDirectory", silo.DataDirectory)
                .WithEnvironment("Grains__Seed", silo.Seeds ? "true" : "false")
                .WithEnvironment("Grains__Storage__Provider", commandLine.Postgres ? "postgres" : "sqlite")
                // Orleans advertises the machine's first non-loopback address otherwise; on a laptop
                // that address may change or be firewalled. These silos talk over loopback.
                .WithEnvironment("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1")
                .WithArgs([.. commandLine.SiloArguments]);
            if (postgres is not null && database is not null)
            {
                project.WithReference(database).WaitFor(postgres);
            }
        }

        return new GrainsAppModel(silos, dataRoot, commandLine.Postgres);
    }

    private static void ReportMovedPorts(TextWriter progress, int first, IReadOnlyList<int> ports)
    {
        var taken = Enumerable.Range(first, ports.Count).Except(ports).ToList();
        if (taken.Count > 0)
        {
            progress.WriteLine($"port{(taken.Count == 1 ? "" : "s")} {string.Join(", ", taken)} {(taken.Count == 1 ? "is" : "are")} taken: the silos use {string.Join(", ", ports)}.");
        }
    }
}
