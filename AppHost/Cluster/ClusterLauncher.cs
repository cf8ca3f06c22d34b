using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Grains.Server.Seeding;

namespace Grains.AppHost.Cluster;

/// <summary>
/// <c>--silos N --postgres</c>: starts PostgreSQL, then N silo processes of this program, waits for
/// every silo's <c>/health</c>, prints the URLs, the DSN and the admin token (once, on the console:
/// never through a logger), and on Ctrl+C / SIGTERM stops the silos (SIGTERM: they drain their
/// partitions; killed after <see cref="SiloGracePeriod"/>) and then PostgreSQL. A second Ctrl+C kills
/// the silos at once. A child that dies unexpectedly is reported loudly; the others keep running.
/// </summary>
public sealed class ClusterLauncher(AppHostCommandLine commandLine, ConsoleOutput console)
{
    /// <summary>How long a silo may take to drain and exit after SIGTERM before it is killed (the server gives its own shutdown 40 s).</summary>
    public static readonly TimeSpan SiloGracePeriod = TimeSpan.FromSeconds(45);

    private volatile bool _started;
    private volatile bool _stopping;

    /// <summary>Runs the cluster until a stop signal (or until every silo died); returns the exit code.</summary>
    public async Task<int> RunAsync()
    {
        using var stop = new CancellationTokenSource();
        using var hurry = new CancellationTokenSource();
        var signals = RegisterSignals(stop, hurry);
        var dataRoot = Path.GetFullPath(commandLine.DataDirectory);
        var adminToken = ApiTokens.New();
        var redactions = new Dictionary<string, string> { [adminToken] = "<admin token>" };
        PostgresServerProcess? postgres = null;
        var silos = new List<SiloProcess>();
        var exitCode = 0;
        try
        {
            if (commandLine.Postgres)
            {
                var binaries = PostgresBinaries.Find() ?? throw new ClusterStartException(PostgresBinaries.NotFoundMessage);
                console.Line($"[pg] PostgreSQL from {binaries.Directory}, data under {Path.Combine(dataRoot, "pg")}");
                postgres = await PostgresServerProcess.StartAsync(binaries, Path.Combine(dataRoot, "pg"), console, stop.Token);
                Watch(postgres.Server, "PostgreSQL");
            }

            var publicPorts = FreePorts.Pick(commandLine.PublicPort, commandLine.Silos);
            var internalPorts = FreePorts.Pick(commandLine.InternalPort, commandLine.Silos, publicPorts.ToHashSet());
            ReportMovedPorts("public", commandLine.PublicPort, publicPorts);
            ReportMovedPorts("internal", commandLine.InternalPort, internalPorts);

            var self = SelfCommand.Current();
            for (var i = 0; i < commandLine.Silos; i++)
            {
                var name = $"silo{i + 1}";
                var settings = new SiloSettings(
                    name,
                    $"http://127.0.0.1:{publicPorts[i]}",
                    internalPorts[i],
                    Path.Combine(dataRoot, name),
                    postgres?.ConnectionString,
                    adminToken,
                    Seed: i == 0);
                var silo = SiloProcess.Start(settings, self, commandLine.SiloArguments, new ChildProcessLog(name, console, redactions));
                silos.Add(silo);
                Watch(silo.Process, silo.Name);
            }

            console.Line($"waiting for {silos.Count} silo(s) to answer /health (up to {commandLine.HealthTimeout.TotalSeconds:0} s)...");
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            await WaitAllHealthyAsync(silos, http, stop.Token);
            var dsn = await FindDsnAsync(silos[0], http, adminToken, stop.Token);
            PrintSummary(silos, postgres, dataRoot, dsn, adminToken);
            _started = true;

            var allExited = Task.WhenAll(silos.Select(s => s.Process.Exited));
            await Task.WhenAny(allExited, Task.Delay(Timeout.Infinite, stop.Token));
            if (!stop.IsCancellationRequested)
            {
                console.Alarm("Every silo exited: stopping.");
                exitCode = 1;
            }
        }
        catch (ClusterStartException exception)
        {
            console.Alarm(exception.Message);
            exitCode = 1;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while starting.
        }
        finally
        {
            _stopping = true;
            await StopAllAsync(silos, postgres, hurry.Token);
            foreach (var registration in signals)
            {
                registration.Dispose();
            }
        }

        return exitCode;
    }

    private IReadOnlyList<PosixSignalRegistration> RegisterSignals(CancellationTokenSource stop, CancellationTokenSource hurry)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // the launcher exits by itself once every child stopped
            if (!stop.IsCancellationRequested)
            {
                console.Line($"{context.Signal}: stopping the silos (they drain their partitions; Ctrl+C again kills them at once)...");
                stop.Cancel();
            }
            else if (!hurry.IsCancellationRequested)
            {
                console.Line($"{context.Signal} again: killing the silos now.");
                hurry.Cancel();
            }
        }

        var registrations = new List<PosixSignalRegistration>
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        };
        if (!OperatingSystem.IsWindows())
        {
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, Handle));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle));
        }

        return registrations;
    }

    private void Watch(ChildProcess child, string description) =>
        _ = child.Exited.ContinueWith(
            exited =>
            {
                if (_stopping)
                {
                    return;
                }

                var who = description == child.Name ? child.Name : $"{description} [{child.Name}]";
                console.Alarm(_started
                    ? $"{who} (pid {child.Pid}) exited unexpectedly with code {exited.Result}.\nThe other processes keep running; Ctrl+C stops them."
                    : $"{who} (pid {child.Pid}) exited with code {exited.Result} while the cluster was starting.");
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

    private void ReportMovedPorts(string kind, int first, IReadOnlyList<int> ports)
    {
        var wanted = Enumerable.Range(first, ports.Count).ToList();
        if (!wanted.SequenceEqual(ports))
        {
            var taken = wanted.Except(ports).ToList();
            console.Line($"{kind} {(taken.Count == 1 ? "port" : "ports")} {string.Join(", ", taken)} {(taken.Count == 1 ? "is" : "are")} taken: the silos use {string.Join(", ", ports)}.");
        }
    }

    private async Task WaitAllHealthyAsync(IReadOnlyList<SiloProcess> silos, HttpClient http, CancellationToken stop)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var deadline = DateTime.UtcNow + commandLine.HealthTimeout;
        var pending = silos.Select(async silo =>
        {
            await silo.WaitHealthyAsync(http, deadline, failed.Token);
            console.Line($"{silo.Name} is healthy: {silo.Settings.PublicUrl}/");
        }).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (done.IsFaulted)
            {
                await failed.CancelAsync(); // the first silo that failed is the one to name
                await Task.WhenAll(pending.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
            }

            await done;
        }
    }

    private async Task<string?> FindDsnAsync(SiloProcess first, HttpClient http, string adminToken, CancellationToken stop)
    {
        try
        {
            return await first.Dsn.WaitAsync(TimeSpan.FromSeconds(5), stop);
        }
        catch (TimeoutException)
        {
            // Not printed (e.g. seeding is off): ask the API.
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(first.Settings.PublicUrl), "/api/0/projects/default/default/keys/"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            return document.RootElement.ValueKind == JsonValueKind.Array
                && document.RootElement.GetArrayLength() > 0
                && document.RootElement[0].TryGetProperty("dsn", out var dsn)
                && dsn.TryGetProperty("public", out var value)
                    ? value.GetString()
                    : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException || (exception is OperationCanceledException && !stop.IsCancellationRequested))
        {
            return null;
        }
    }

    private void PrintSummary(IReadOnlyList<SiloProcess> silos, PostgresServerProcess? postgres, string dataRoot, string? dsn, string adminToken)
    {
        var first = silos[0].Settings.PublicUrl;
        var lines = new List<string>
        {
            "",
            postgres is not null
                ? $"Grains cluster is running: {silos.Count} silo(s) on PostgreSQL 127.0.0.1:{postgres.Port}, data under {dataRoot}"
                : $"{silos.Count} independent SQLite silo(s) are running (--test-sqlite-silos: not a cluster), data under {dataRoot}",
        };
        lines.AddRange(silos.Select(s => $"  {s.Name,-7} {s.Settings.PublicUrl}/   silo port {s.Settings.InternalPort}, pid {s.Process.Pid}"));
        lines.Add(dsn is not null
            ? $"  DSN:         {dsn}"
            : $"  DSN:         (not printed by {silos[0].Name}: GET {first}/api/0/projects/default/default/keys/)");
        lines.Add($"  Admin token: {adminToken}   (printed only here; a new one on every start)");
        lines.Add($"  API:         curl -H 'Authorization: Bearer <token>' {first}/api/0/projects/default/default/issues/");
        if (postgres is not null)
        {
            lines.Add($"  PostgreSQL:  {postgres.ConnectionString}");
        }

        lines.Add($"Ctrl+C stops the silos (they drain, up to {SiloGracePeriod.TotalSeconds:0} s){(postgres is not null ? " and then PostgreSQL" : "")}.");
        lines.Add("");
        foreach (var line in lines)
        {
            console.Line(line);
        }
    }

    private async Task StopAllAsync(IReadOnlyList<SiloProcess> silos, PostgresServerProcess? postgres, CancellationToken hurry)
    {
        var running = silos.Where(s => !s.Process.HasExited).ToList();
        if (running.Count > 0)
        {
            console.Line($"stopping {running.Count} silo(s): SIGTERM, up to {SiloGracePeriod.TotalSeconds:0} s to drain...");
            var stopped = await Task.WhenAll(running.Select(async s => (Silo: s, Graceful: await s.Process.StopAsync(SiloGracePeriod, hurry))));
            foreach (var (silo, graceful) in stopped)
            {
                console.Line(graceful
                    ? $"{silo.Name} stopped (exit code {await silo.Process.Exited})"
                    : hurry.IsCancellationRequested ? $"{silo.Name} killed" : $"{silo.Name} did not stop within {SiloGracePeriod.TotalSeconds:0} s: killed");
            }
        }

        if (postgres is not null)
        {
            console.Line("stopping PostgreSQL (fast shutdown)...");
            await postgres.StopAsync();
            console.Line("PostgreSQL stopped");
        }

        foreach (var silo in silos)
        {
            silo.Process.Dispose();
        }

        postgres?.Server.Dispose();
    }
}
