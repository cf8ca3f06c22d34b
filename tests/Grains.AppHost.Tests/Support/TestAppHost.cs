using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grains.AppHost.Tests.Support;

/// <summary>
/// The AppHost's entry point run in the test process with Aspire.Hosting.Testing, on its own data root
/// and free ports: the app model only (<see cref="BuildModelAsync"/>) or started until every silo is
/// healthy (<see cref="StartAsync"/>), with what the tests ask of it: the admin token, the DSN, an event
/// sent through a silo's ingest edge and read back through a silo's API.
/// </summary>
internal sealed class TestAppHost : IAsyncDisposable
{
    /// <summary>How long an app may take from the entry point to every silo healthy (2 cores shared with other builds).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly TestDataDirectory _data;
    private readonly DashboardEnvironment _environment;
    private readonly IDistributedApplicationTestingBuilder _builder;
    private bool _stopped;

    private TestAppHost(TestDataDirectory data, DashboardEnvironment environment, IDistributedApplicationTestingBuilder builder, DistributedApplication app)
    {
        _data = data;
        _environment = environment;
        _builder = builder;
        App = app;
        Model = app.Services.GetRequiredService<GrainsAppModel>();
    }

    /// <summary>The running app.</summary>
    public DistributedApplication App { get; }

    /// <summary>The AppHost's model of the silos (their URLs and data directories).</summary>
    public GrainsAppModel Model { get; }

    /// <summary>The data root given as <c>--data</c>.</summary>
    public string DataDirectory => _data.Path;

    /// <summary>The AppHost's configuration (dashboard token and keys).</summary>
    public IConfiguration Configuration => App.Services.GetRequiredService<IConfiguration>();

    /// <summary>The admin token the seeding silo wrote.</summary>
    public string AdminToken => File.ReadAllText(Model.AdminTokenFile).Trim();

    /// <summary>
    /// The AppHost's own command line for <paramref name="silos"/> silos on a fresh data root and free
    /// ports (<c>--postgres</c> when asked), as the entry point receives it.
    /// </summary>
    public static string[] Arguments(string dataDirectory, int silos, bool postgres)
    {
        var firstPort = FreePorts.Pick(FreePorts.Ephemeral(), silos)[0].ToString(CultureInfo.InvariantCulture);
        string[] arguments = ["--data", dataDirectory, "--port", firstPort];
        return silos == 1 && !postgres ? arguments : [.. arguments, "--silos", silos.ToString(CultureInfo.InvariantCulture), .. postgres ? new[] { "--postgres" } : []];
    }

    /// <summary>
    /// Runs the entry point up to the app model (nothing starts); dispose the returned model. The
    /// AppHost's environment variables are put back when <paramref name="data"/>'s owner disposes it.
    /// </summary>
    public static async Task<AppModelUnderTest> BuildModelAsync(int silos, bool postgres)
    {
        var data = new TestDataDirectory();
        var environment = new DashboardEnvironment();
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(Arguments(data.Path, silos, postgres));
            return new AppModelUnderTest(builder, data, environment);
        }
        catch
        {
            environment.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>Starts the AppHost (the Aspire dashboard too when <paramref name="dashboard"/>) and waits until every silo is healthy.</summary>
    public static async Task<TestAppHost> StartAsync(int silos, bool postgres, bool dashboard)
    {
        var data = new TestDataDirectory();
        var environment = new DashboardEnvironment();
        IDistributedApplicationTestingBuilder? builder = null;
        DistributedApplication? app = null;
        try
        {
            builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                Arguments(data.Path, silos, postgres),
                (options, _) => options.DisableDashboard = !dashboard);
            // Resource logs reach the test output through logging; their Information lines (every request to
            // the dashboard's resource service, every silo log line) would drown a failure's cause.
            builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            app = await builder.BuildAsync();
            using var deadline = new CancellationTokenSource(StartTimeout);
            await app.StartAsync(deadline.Token);
            var model = app.Services.GetRequiredService<GrainsAppModel>();
            await Task.WhenAll(model.Silos.Select(s => app.ResourceNotifications.WaitForResourceHealthyAsync(s.Name, deadline.Token)));
            return new TestAppHost(data, environment, builder, app);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            if (builder is not null)
            {
                await builder.DisposeAsync();
            }

            environment.Dispose();
            data.Dispose();
            throw;
        }
    }

    /// <summary>A client of silo <paramref name="silo"/> (1-based), straight to its process.</summary>
    public HttpClient Silo(int silo) => new() { BaseAddress = new Uri(Model.Silos[silo - 1].Url), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The seeded project's public DSN, read through silo 1's API with the admin token.</summary>
    public async Task<Uri> DsnAsync()
    {
        using var http = Silo(1);
        var keys = JsonNode.Parse(await GetApiAsync(http, "/api/0/projects/default/default/keys/"))!;
        return new Uri(keys[0]!["dsn"]!["public"]!.GetValue<string>());
    }

    /// <summary>
    /// Posts one error event through silo <paramref name="silo"/>'s ingest edge as a raw envelope, as an SDK
    /// would; with <paramref name="traceParent"/> the request continues that W3C trace. Returns its event id.
    /// </summary>
    public async Task<string> SendEventAsync(int silo, string message, string? traceParent = null)
    {
        var dsn = await DsnAsync();
        var eventId = Guid.NewGuid().ToString("N");
        var envelope = $"{{\"event_id\":\"{eventId}\"}}\n{{\"type\":\"event\"}}\n"
            + JsonSerializer.Serialize(new { event_id = eventId, message, level = "error", platform = "other" }) + "\n";
        using var http = Silo(silo);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api{dsn.AbsolutePath.TrimEnd('/')}/envelope/")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(envelope)),
        };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={dsn.UserInfo}, sentry_version=7, sentry_client=grains-apphost-tests/1.0");
        if (traceParent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"silo{silo} ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return eventId;
    }

    /// <summary>Polls silo <paramref name="silo"/>'s API until the event is readable; returns its JSON.</summary>
    public async Task<JsonNode> WaitForEventAsync(int silo, string eventId, TimeSpan timeout)
    {
        using var http = Silo(silo);
        var path = $"/api/0/projects/default/default/events/{eventId}/";
        return await Poll.UntilAsync($"GET {path} on silo{silo}", timeout, async () =>
        {
            using var request = Authorized(HttpMethod.Get, path);
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
        });
    }

    /// <summary>GET of an API path with the admin token; fails the test on an error status.</summary>
    public async Task<string> GetApiAsync(HttpClient http, string path)
    {
        using var request = Authorized(HttpMethod.Get, path);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Stops every process of the app (DCP waits for their cleanup); the data root stays until disposal. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await App.DisposeAsync();
        await _builder.DisposeAsync();
    }

    /// <summary>Stops the app, puts the environment back and deletes the data root.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _environment.Dispose();
            _data.Dispose();
        }
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return request;
    }
}
