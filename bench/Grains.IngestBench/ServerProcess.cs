using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Grains.IngestBench;

/// <summary>A server under test in its own process (Grains Release build, or the ceiling).</summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _api = new();
    private readonly System.Text.StringBuilder _output = new();

    private ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }

    public string ProjectId { get; private set; } = "1";

    public string PublicKey { get; private set; } = "";

    public string IngestUrl(string projectId, string key) => $"{Url}/api/{projectId}/envelope/?sentry_key={key}&sentry_version=7";

    public static async Task<ServerProcess> StartCeilingAsync(string root)
    {
        var port = FreePort();
        var server = new ServerProcess(Start("dotnet", [typeof(ServerProcess).Assembly.Location, "ceiling-server", port.ToString()], root), $"http://127.0.0.1:{port}");
        await server.WaitHealthyAsync();
        return server;
    }

    /// <summary>
    /// The server build under test: <c>GRAINS_BENCH_SERVER</c> (a server dll, e.g. the ReadyToRun publish that
    /// bench/publish-server.sh makes, which is what the scripts run), else the build output of
    /// <c>GRAINS_BENCH_CONFIGURATION</c> (default Release).
    /// </summary>
    public static string ServerDll(string root)
    {
        if (Environment.GetEnvironmentVariable("GRAINS_BENCH_SERVER") is { Length: > 0 } published)
        {
            return File.Exists(published) ? Path.GetFullPath(published) : throw new FileNotFoundException("GRAINS_BENCH_SERVER names no file", published);
        }

        var configuration = Environment.GetEnvironmentVariable("GRAINS_BENCH_CONFIGURATION") ?? "Release";
        var dll = Path.Combine(root, "src", "Grains.Server", "bin", configuration, "net10.0", "Grains.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the solution in {configuration} first", dll);
        }

        return dll;
    }

    public static async Task<ServerProcess> StartGrainsAsync(string root)
    {
        var dll = ServerDll(root);
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "grains-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var server = new ServerProcess(Start("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", "--Grains:DataDirectory", data, "--Logging:LogLevel:Default", "Warning"], data), $"http://127.0.0.1:{port}");
        await server.WaitHealthyAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Match dsn;
        while (!(dsn = DsnPattern().Match(server.Output)).Success)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no DSN printed:\n" + server.Output);
            }

            await Task.Delay(50);
        }

        server.DataDirectory = data;
        server.PublicKey = dsn.Groups["key"].Value;
        server.ProjectId = dsn.Groups["project"].Value;
        var token = (await File.ReadAllTextAsync(Path.Combine(data, "admin-token"))).Trim();
        server._api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return server;
    }

    /// <summary>
    /// A cluster silo on PostgreSQL, configured through the environment as the AppHost launcher does.
    /// Returns once <c>/health</c> answers 200 (joined). <paramref name="extraEnvironment"/> adds
    /// settings (e.g. <c>DOTNET_PerfMapEnabled</c> for perf).
    /// </summary>
    public static async Task<ServerProcess> StartSiloAsync(string root, SiloSettings settings, IEnumerable<KeyValuePair<string, string?>>? extraEnvironment = null)
    {
        var dll = ServerDll(root);
        Directory.CreateDirectory(settings.DataDirectory);
        var url = $"http://127.0.0.1:{settings.PublicPort}";
        var environment = new List<KeyValuePair<string, string?>>
        {
            new("Grains__Url", url),
            new("Grains__DataDirectory", settings.DataDirectory),
            new("Grains__Storage__Provider", "postgres"),
            new("ConnectionStrings__grains", settings.ConnectionString),
            new("Orleans__Endpoints__SiloPort", settings.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Orleans__Endpoints__GatewayPort", "0"), // no Orleans clients: ingest and API run in the silo
            new("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1"),
            new("Grains__AdminToken", settings.AdminToken),
            new("Grains__Seed", "true"),
            new("Logging__LogLevel__Default", "Warning"),

            // One line per queue a silo takes or gives up: the bench counts the queues each silo owns.
            new($"Logging__LogLevel__{ReceiverCategory}", "Debug"),
        };
        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS" })
        {
            environment.Add(new(name, null));
        }

        environment.AddRange(extraEnvironment ?? []);
        var server = new ServerProcess(Start("dotnet", [dll], settings.DataDirectory, environment), url) { DataDirectory = settings.DataDirectory };
        server._api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.AdminToken);
        await server.WaitHealthyAsync();
        return server;
    }

    /// <summary>The logger category of the stream receivers (one per queue a silo owns).</summary>
    private const string ReceiverCategory = "Grains.Streaming.DurableLogQueueAdapterReceiver";

    /// <summary>The server's data directory (embedded: holds <c>grains.db</c>).</summary>
    public string DataDirectory { get; private set; } = "";

    /// <summary>
    /// The stream queues (partitions) this silo owns now, from its receivers' log lines: a receiver
    /// logs when it starts reading a partition (Debug) and when it stops (Information).
    /// </summary>
    public IReadOnlySet<int> OwnedPartitions()
    {
        var owned = new HashSet<int>();
        foreach (Match match in ReceiverLine().Matches(Output))
        {
            var partition = int.Parse(match.Groups["partition"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (match.Groups["verb"].Value == "reads after")
            {
                owned.Add(partition);
            }
            else
            {
                owned.Remove(partition);
            }
        }

        return owned;
    }

    /// <summary>The process id (for /proc and perf).</summary>
    public int Pid => _process.Id;

    /// <summary>CPU seconds (user + system) the process used so far.</summary>
    public double CpuSeconds() => ProcCpu.ProcessSeconds(_process.Id);

    /// <summary>The project's first DSN key through the API: (project id, public key).</summary>
    public async Task<(string ProjectId, string PublicKey)> FirstKeyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await _api.GetAsync($"{Url}/api/0/projects/default/default/keys/");
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (json.RootElement.GetArrayLength() > 0)
                {
                    var key = json.RootElement[0];
                    ProjectId = key.GetProperty("projectId").GetRawText().Trim('"');
                    PublicKey = key.GetProperty("public").GetString()!;
                    return (ProjectId, PublicKey);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no DSN key from {Url} ({response.StatusCode}):\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>An authenticated API call; a status other than 2xx throws with the server's answer.</summary>
    public async Task<JsonElement> ApiAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, Url + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await _api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return document.RootElement.Clone();
    }

    /// <summary>SIGTERM, then a graceful wait (drain and hand-over), then kill.</summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The number of issues of the default project, through the API.</summary>
    public async Task<long> IssueCountAsync()
    {
        long issues = 0;
        string? next = $"{Url}/api/0/projects/default/default/issues/?query=&limit=100";
        while (next is not null)
        {
            using var response = await _api.GetAsync(next);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            issues += json.RootElement.GetArrayLength();
            next = response.Headers.TryGetValues("Link", out var links) && NextLink().Match(string.Join(",", links)) is { Success: true } match
                ? match.Groups["url"].Value
                : null;
        }

        return issues;
    }

    /// <summary>The last <paramref name="lines"/> lines the process printed.</summary>
    public string OutputTail(int lines)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    /// <summary>Sum of <c>count</c> over every issue of the default project, through the API.</summary>
    /// <summary>The server's runtime counters (<c>/api/0/internal/runtime/</c>, admin token).</summary>
    public async Task<RuntimeCounters> RuntimeAsync() => RuntimeCounters.From(await ApiAsync(HttpMethod.Get, "/api/0/internal/runtime/"));

    public Task<long> TotalCountAsync() => TotalCountAsync("default");

    /// <summary>Sum of <c>count</c> over every issue of <paramref name="project"/> (a slug in the default organization), through the API.</summary>
    public async Task<long> TotalCountAsync(string project)
    {
        long total = 0;
        string? next = $"{Url}/api/0/projects/default/{project}/issues/?query=&limit=100";
        while (next is not null)
        {
            using var response = await _api.GetAsync(next);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var issue in json.RootElement.EnumerateArray())
            {
                total += long.Parse(issue.GetProperty("count").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }

            next = null;
            if (response.Headers.TryGetValues("Link", out var links))
            {
                var match = NextLink().Match(string.Join(",", links));
                if (match.Success)
                {
                    next = match.Groups["url"].Value;
                }
            }
        }

        return total;
    }

    /// <summary>Waits until the API's total count reaches <paramref name="expected"/>; returns the time since <paramref name="since"/> started.</summary>
    public Task<TimeSpan> WaitForCountAsync(long expected, TimeSpan timeout, Stopwatch since) => WaitForCountAsync("default", expected, timeout, since);

    /// <summary>Waits until the total count of <paramref name="project"/> reaches <paramref name="expected"/>; returns the time since <paramref name="since"/> started.</summary>
    public async Task<TimeSpan> WaitForCountAsync(string project, long expected, TimeSpan timeout, Stopwatch since)
    {
        var deadline = DateTime.UtcNow + timeout;
        long last = -1;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await TotalCountAsync(project);
            }
            catch (HttpRequestException e) when (_process.HasExited)
            {
                await Task.Delay(200); // let the output readers catch up
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} at count {last} of {expected}; its last output:\n{OutputTail(60)}", e);
            }

            if (last >= expected)
            {
                return since.Elapsed;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"API count {last} never reached {expected}");
    }

    public long PeakRssMb() => ReadStatus("VmHWM:");

    public long CurrentRssMb() => ReadStatus("VmRSS:");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _api.Dispose();
        _process.Dispose();
    }

    private long ReadStatus(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await _api.GetAsync($"{Url}/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                await Task.Delay(200); // let the output readers catch up with a process that exited
                throw new TimeoutException($"{Url} never became healthy{(_process.HasExited ? $" (exited with {_process.ExitCode})" : "")}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private static Process Start(string file, IEnumerable<string> args, string workingDirectory, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? [])
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"DSN:\s+http://(?<key>[0-9a-f]{32})@[^/]+/(?<project>\d+)")]
    private static partial Regex DsnPattern();

    [GeneratedRegex(@"partition (?<partition>\d+) (?<verb>reads after|stopped at) checkpoint")]
    private static partial Regex ReceiverLine();

    [GeneratedRegex(@"<(?<url>[^>]+)>; rel=""next""; results=""true""")]
    private static partial Regex NextLink();
}
