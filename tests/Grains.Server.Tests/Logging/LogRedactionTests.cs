using System.Net.Http.Headers;
using System.Text;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Orleans;
using Grains.Server.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grains.Server.Tests.Logging;

/// <summary>
/// A real server logging everything (Trace, request logs included) into a capture: requests carrying a
/// DSN key, a secret, a token and event data in the query string and in headers leave none of them in
/// any captured line.
/// </summary>
public sealed class LogRedactionTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _capture = new();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private string _url = "";
    private long _projectId;
    private string _publicKey = "";

    public async Task InitializeAsync()
    {
        _app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = _data;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Trace";
            builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            builder.Logging.AddProvider(_capture);
        });
        await _app.StartAsync();
        _url = _app.Urls.First().TrimEnd('/');
        var directory = _app.Services.GetRequiredService<IDirectoryStore>();
        var organization = await directory.CreateOrganizationAsync("acme", "Acme");
        var project = await directory.CreateProjectAsync(organization.Id, "web", "Web", "javascript");
        _projectId = project.Id;
        _publicKey = (await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(project.Id).CreateKeyAsync("Default")).PublicKey;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task No_log_line_carries_a_key_secret_token_or_event_data_from_query_strings_or_headers()
    {
        const string secret = "s3cr3tvalue0123456789abcdef";
        const string token = "grains_0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";
        const string payload = "payloadmarker42";
        const string unknownKey = "0badc0de0badc0de0badc0de0badc0de";
        using var http = new HttpClient();
        var body = Encoding.UTF8.GetBytes($$"""{"message":"{{payload}}"}""");

        // The key, the secret and data in the query string (Sentry's auth-by-query and GET /store/).
        Assert.True((await Post($"{_url}/api/{_projectId}/store/?sentry_key={_publicKey}&sentry_secret={secret}&sentry_version=7", body, null)).IsSuccessStatusCode);
        await Post($"{_url}/api/{_projectId}/envelope/?sentry_key={unknownKey}&sentry_version=7", body, null);
        await http.GetAsync($"{_url}/api/{_projectId}/store/?sentry_key={_publicKey}&sentry_data={payload}");
        // The key in the header, and a DSN-style URL in a header.
        await Post($"{_url}/api/{_projectId}/store/", body, $"Sentry sentry_key={_publicKey}, sentry_secret={secret}, sentry_version=7");
        // Tokens: query string, Authorization header, a malformed path with a token in it.
        await http.GetAsync($"{_url}/api/0/organizations/?token={token}&access_token={token}");
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{_url}/api/0/organizations/"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await http.SendAsync(request);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{_url}/api/0/organizations/?x=1"))
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {secret}");
            request.Headers.TryAddWithoutValidation("Referer", $"http://{_publicKey}:{secret}@example.com/?token={token}");
            await http.SendAsync(request);
        }

        var lines = _capture.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("Request starting", StringComparison.Ordinal)); // request logs were on
        Assert.Contains(lines, line => line.Contains("sentry_key=[redacted]", StringComparison.Ordinal));
        foreach (var forbidden in new[] { _publicKey, secret, token, payload, unknownKey })
        {
            var leaks = lines.Where(line => line.Contains(forbidden, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(leaks.Count == 0, $"'{forbidden}' is in {leaks.Count} log lines, e.g.:\n{string.Join("\n", leaks.Take(3))}");
        }

        async Task<HttpResponseMessage> Post(string url, byte[] content, string? auth)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (auth is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Sentry-Auth", auth);
            }

            return await http.SendAsync(request);
        }
    }

    [Fact]
    public void An_exception_quoting_a_url_with_a_key_is_logged_redacted_with_its_type_and_stack()
    {
        var capture = new CapturingLoggerProvider();
        using var provider = new RedactingLoggerProvider(capture);
        var logger = provider.CreateLogger("test");
        Exception thrown;
        try
        {
            throw new InvalidOperationException("Bad request to http://127.0.0.1/api/1/store/?sentry_key=abcdef0123456789abcdef0123456789");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        logger.LogError(thrown, "Failed {Url} with Bearer {Token}", "http://h/?token=t0k3nt0k3n", "grains_feedfacefeedface");

        var line = Assert.Single(capture.Lines);
        Assert.DoesNotContain("abcdef0123456789abcdef0123456789", line, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k3nt0k3n", line, StringComparison.Ordinal);
        Assert.DoesNotContain("feedface", line, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", line, StringComparison.Ordinal);
        Assert.Contains(nameof(An_exception_quoting_a_url_with_a_key_is_logged_redacted_with_its_type_and_stack), line, StringComparison.Ordinal);
        Assert.Contains("{Url}", line, StringComparison.Ordinal); // the message template is kept
    }
}
