using Grains.Postgres.TestSilo;
using Grains.Postgres.TestSilo.TestGrains;

// A silo in its own process, for tests that kill it with SIGKILL: Grains.Postgres.TestSilo <connection string> <service id> <grain key>.
// It activates the probe grain <grain key> on itself (the grain prefers local placement), prints
// "ready <silo address> <activation>", and runs until its standard input closes (the test process ended).
if (args.Length != 3)
{
    await Console.Error.WriteLineAsync("usage: Grains.Postgres.TestSilo <connection string> <service id> <grain key>");
    return 2;
}

var silo = await InProcessSilo.StartAsync(args[0], args[1]);
var identity = await silo.Grains.GetGrain<IActivationProbeGrain>(args[2]).IdentifyAsync();
Console.WriteLine($"ready {identity.Silo.ToParsableString()} {identity.Activation}");
await Console.In.ReadToEndAsync();
await silo.StopAsync();
return 0;
