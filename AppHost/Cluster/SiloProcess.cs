using System.Globalization;
using System.Text.RegularExpressions;

namespace Grains.AppHost.Cluster;

/// <summary>
/// One silo of the local cluster: this program again, without <c>--silos</c>, configured through the
/// environment (<c>Grains__Url</c>, <c>Grains__DataDirectory</c>, <c>Orleans__Endpoints__*</c>, ...),
/// its output prefixed with its name.
/// </summary>
public sealed partial class SiloProcess
{
    private static readonly KeyValuePair<string, string>[] Defaults =
    [
        new("ASPNETCORE_CONTENTROOT", AppContext.BaseDirectory),
        new("Logging__LogLevel__Microsoft.AspNetCore", "Warning"),
        new("Logging__LogLevel__Npgsql", "Warning"),
    ];

    private readonly TaskCompletionSource<string> _dsn = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(SiloSettings settings, ChildProcess process)
    {
        Settings = settings;
        Process = process;
        process.Log.LineReceived += line =>
        {
            var match = DsnLine().Match(line);
            if (match.Success)
            {
                _dsn.TrySetResult(match.Groups[1].Value);
            }
        };
    }

    /// <summary>What it was started with.</summary>
    public SiloSettings Settings { get; }

    /// <summary>The process.</summary>
    public ChildProcess Process { get; }

    /// <summary>Its name (<c>silo1</c>, ...).</summary>
    public string Name => Settings.Name;

    /// <summary>Completes with the DSN when the silo prints one (the seeding silo does, once it listens).</summary>
    public Task<string> Dsn => _dsn.Task;

    /// <summary>The environment of a silo: the contract of a silo process, and no inherited URL setting that would override <c>Grains__Url</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Environment(SiloSettings settings)
    {
        var environment = new List<KeyValuePair<string, string?>>
        {
            new("Grains__Url", settings.PublicUrl),
            new("Grains__DataDirectory", settings.DataDirectory),
            new("Grains__Storage__Provider", settings.ConnectionString is null ? "sqlite" : "postgres"),
            new("ConnectionStrings__grains", settings.ConnectionString),
            new("Orleans__Endpoints__SiloPort", settings.InternalPort.ToString(CultureInfo.InvariantCulture)),
            new("Orleans__Endpoints__GatewayPort", "0"), // no Orleans clients: ingest and API run in the silo
            new("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1"),
            new("Grains__AdminToken", settings.AdminToken),
            new("Grains__Seed", settings.Seed ? "true" : "false"),
        };
        // The content root is this program's folder (the working directory stays the launcher's), so a
        // silo reads the server's appsettings.json; and the two chattiest loggers stay quiet (the
        // launcher polls /health; Npgsql logs every command), unless they were set explicitly.
        foreach (var (name, value) in Defaults)
        {
            if (System.Environment.GetEnvironmentVariable(name) is null)
            {
                environment.Add(new(name, value));
            }
        }

        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS" })
        {
            environment.Add(new(name, null));
        }

        return environment;
    }

    /// <summary>Starts the silo.</summary>
    public static SiloProcess Start(SiloSettings settings, SelfCommand self, IReadOnlyList<string> extraArguments, ChildProcessLog log)
    {
        System.IO.Directory.CreateDirectory(settings.DataDirectory);
        var process = ChildProcess.Start(self.FileName, [.. self.Arguments, .. extraArguments], log, Environment(settings));
        return new SiloProcess(settings, process);
    }

    /// <summary>
    /// Polls <c>/health</c> until it answers 200. Throws <see cref="ClusterStartException"/> naming
    /// the silo when it exits first or does not become healthy by <paramref name="deadline"/>.
    /// </summary>
    public async Task WaitHealthyAsync(HttpClient http, DateTime deadline, CancellationToken cancellationToken)
    {
        var health = new Uri(new Uri(Settings.PublicUrl), "/health");
        var last = "no answer yet";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Process.HasExited)
            {
                throw new ClusterStartException(
                    $"{Name} ({Settings.PublicUrl}) exited with code {await Process.Exited.ConfigureAwait(false)} before it became healthy; its output is above ([{Name}]).");
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                using var response = await http.GetAsync(health, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false)}".Trim();
            }
            catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = exception is OperationCanceledException ? "timed out" : exception.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ClusterStartException($"{Name} ({Settings.PublicUrl}) did not become healthy in time: GET {health} last answered: {last}.");
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"^\s*DSN:\s+(\S+)")]
    private static partial Regex DsnLine();
}
