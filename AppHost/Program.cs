// The .NET Aspire AppHost of Grains: `dotnet run --project AppHost` starts the Aspire dashboard and
// one silo on SQLite under ./data (the embedded default); `-- --silos N --postgres` starts PostgreSQL
// from this machine's binaries and N silos forming one Orleans cluster. The model is in
// GrainsAppModel; what the console shows once the silos are healthy is in StartupSummary.
// Ctrl+C stops every process it started. The silo also runs alone: dotnet run --project src/Grains.Server.
using Grains.AppHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (!AppHostCommandLine.TryParse(args, out var commandLine, out var error))
{
    Console.Error.WriteLine("AppHost: " + error);
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

if (commandLine.Mode == AppHostMode.Help)
{
    Console.WriteLine(AppHostCommandLine.Usage);
    return 0;
}

LocalDashboard.Apply();
// WaitForResourceCleanup: the AppHost exits only after DCP stopped every process it started (by default
// DCP cleans up after the AppHost is gone); the silos drain for up to 40 s, so shutdown may take that long.
var builder = DistributedApplication.CreateBuilder(["--DcpPublisher:WaitForResourceCleanup=true"]);
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(90));
GrainsAppModel model;
try
{
    model = GrainsAppModel.AddTo(builder, commandLine, Console.Out);
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine("AppHost: " + exception.Message);
    return 1;
}

builder.Services.AddSingleton(model);
builder.Services.AddSingleton(commandLine);
builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<StartupSummary>(sp, Console.Out));
await builder.Build().RunAsync();
return 0;
