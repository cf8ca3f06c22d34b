// The local orchestrator.
// - Without options it runs the embedded default: one silo in this process with SQLite under ./data,
//   listening on http://127.0.0.1:8000 (override with --urls or Grains__Url). This is also how the
//   launcher (below) and Kubernetes start each silo of a cluster, configured through the environment.
// - With --silos N --postgres it is the local cluster launcher (Cluster/ClusterLauncher.cs): PostgreSQL
//   and N silo processes of this program.
// Ctrl+C or SIGTERM stops gracefully: ingest stops, stream partitions drain and checkpoint, grains deactivate.
using Grains.AppHost;
using Grains.AppHost.Cluster;
using Grains.Server;

if (!AppHostCommandLine.TryParse(args, out var commandLine, out var error))
{
    Console.Error.WriteLine("AppHost: " + error);
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

switch (commandLine.Mode)
{
    case AppHostMode.Help:
        Console.WriteLine(AppHostCommandLine.Usage);
        return 0;
    case AppHostMode.Cluster:
        return await new ClusterLauncher(commandLine, new ConsoleOutput(Console.Out, Console.Error)).RunAsync();
    default:
        var app = GrainsServer.Build(args);
        await app.RunAsync();
        return 0;
}
