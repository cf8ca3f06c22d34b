using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Grains.Browser.Tests.Support;

/// <summary>
/// One Grains.Server process (the build output of src/Grains.Server, as an operator runs it) on a free
/// loopback port with its own data directory: its URL, admin token, DSN and the seeded owner's sign-in.
/// Settings go through the environment, so a silo of a cluster is the same thing with more settings.
/// </summary>
internal sealed class GrainsServer : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;
    private readonly bool _ownsDataDirectory;

    private GrainsServer(Process process, Uri url, string dataDirectory, string adminToken, bool ownsDataDirectory, string name)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
        AdminToken = adminToken;
        Name = name;
        _ownsDataDirectory = ownsDataDirectory;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
    }

    /// <summary>The server's public URL (http://127.0.0.1:PORT/).</summary>
    public Uri Url { get; }

    /// <summary>A name for its log lines (<c>server</c>, <c>silo1</c>, …).</summary>
    public string Name { get; }

    /// <summary>Its data directory (admin-token, owner-password, the SQLite database).</summary>
    public string DataDirectory { get; }

    /// <summary>The admin API token the server was configured with.</summary>
    public string AdminToken { get; }

    /// <summary>The last part of what the process printed (for failure messages).</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                return _output.Length <= 8000 ? _output.ToString() : _output.ToString(_output.Length - 8000, 8000);
            }
        }
    }

    /// <summary>
    /// Starts a server and waits until <c>/health</c> answers 200. <paramref name="environment"/> adds
    /// settings (cluster mode); <paramref name="dataDirectory"/> defaults to a new temporary directory.
    /// </summary>
    public static async Task<GrainsServer> StartAsync(
        IReadOnlyDictionary<string, string>? environment = null,
        string? dataDirectory = null,
        int? port = null,
        string? adminToken = null,
        string name = "server")
    {
        var dll = Repository.ServerDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution ({Repository.Configuration}) first");
        }

        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "grains-browser-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dataDirectory);
        var url = new Uri($"http://127.0.0.1:{port ?? FreePort()}/");
        adminToken ??= "grains-browser-" + Guid.NewGuid().ToString("N");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        // No inherited URL setting may override Grains__Url.
        foreach (var variable in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Grains__Url"] = url.ToString().TrimEnd('/');
        start.Environment["Grains__DataDirectory"] = dataDirectory;
        start.Environment["Grains__AdminToken"] = adminToken;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        GrainsServer? server = null;
        var buffered = new StringBuilder();
        void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            var target = server?._output ?? buffered;
            lock (target)
            {
                target.Append(line).Append('\n');
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        lock (buffered)
        {
            server = new GrainsServer(process, url, dataDirectory, adminToken, owns, name);
            server._output.Append(buffered);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitHealthyAsync(StartDeadline);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A free loopback TCP port (the OS picks; released before it is used).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits for <c>/health</c> to answer 200; fails early with the output when the process exits.</summary>
    public async Task WaitHealthyAsync(TimeSpan deadline)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + deadline;
        var last = "no answer yet";
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before it became healthy:\n{OutputTail}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri(Url, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{Name} ({Url}) not healthy in {deadline.TotalSeconds:0} s (last: {last}):\n{OutputTail}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The seeded owner's sign-in: the email and one-time password the first start wrote to
    /// <c>{data}/owner-password</c> (waits for the file: it is written while the server starts).
    /// </summary>
    public async Task<Credentials> OwnerAsync()
    {
        var file = Path.Combine(DataDirectory, "owner-password");
        var text = await Poll.UntilAsync(
            () => Task.FromResult(File.Exists(file) && new FileInfo(file).Length > 0 ? File.ReadAllText(file) : null),
            TimeSpan.FromSeconds(60),
            file);
        return Credentials.Parse(text, Credentials.DefaultOwnerEmail);
    }

    /// <summary>The default project's DSN (its first key), read through the API.</summary>
    public async Task<string> DsnAsync(string organization = "default", string project = "default")
    {
        var keys = await GetJsonAsync($"/api/0/projects/{organization}/{project}/keys/");
        return keys.AsArray()[0]!["dsn"]!["public"]!.GetValue<string>();
    }

    /// <summary>GET with the admin token; fails unless 2xx.</summary>
    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        if ((int)status is < 200 or > 299)
        {
            throw new InvalidOperationException($"GET {path} → {(int)status}: {body}");
        }

        return JsonNode.Parse(body)!;
    }

    /// <summary>Any API call with the admin token; answers the status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the API lists an issue of the project whose title contains <paramref name="needle"/>; answers its JSON.</summary>
    public Task<JsonNode> WaitForIssueAsync(string needle, string organization = "default", string project = "default") =>
        Poll.UntilAsync(
            async () =>
            {
                var issues = await GetJsonAsync($"/api/0/projects/{organization}/{project}/issues/?query=&limit=100");
                return issues.AsArray().FirstOrDefault(issue => issue!["title"]!.GetValue<string>().Contains(needle, StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(60),
            $"an issue titled '{needle}' in the API");

    /// <summary>Writes everything the process printed to the server log directory (best effort).</summary>
    private void KeepOutput()
    {
        try
        {
            Directory.CreateDirectory(Repository.ServerLogDirectory);
            string text;
            lock (_output)
            {
                text = _output.ToString();
            }

            File.WriteAllText(Path.Combine(Repository.ServerLogDirectory, $"{Name}-{Url.Port}.log"), text);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A log that cannot be kept must not fail the test run.
        }
    }

    /// <summary>SIGTERM, then SIGKILL after 30 s; removes the data directory the server was given by default.</summary>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM: the server stops cleanly (ingest, stream queues, grains).
                using (Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            KeepOutput();
            if (_ownsDataDirectory)
            {
                try
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a leftover temp directory is harmless.
                }
            }
        }
    }
}
