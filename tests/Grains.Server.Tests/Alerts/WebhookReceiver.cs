using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grains.Server.Tests.Alerts;

/// <summary>
/// A local HTTP receiver for delivery tests, on a loopback port. Each path behaves as told:
/// <c>/ok/…</c> answers 200, <c>/fail{N}/…</c> answers 500 to its first N requests then 200,
/// <c>/hang/…</c> never answers (until the client gives up). Every request is recorded.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>The requests to <paramref name="path"/> (exact path, query ignored).</summary>
    public IReadOnlyList<Received> To(string path) => [.. Requests.Where(r => r.Path == path)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(1).ToCancellationToken());
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var path = http.Request.Path.Value ?? "/";
        var count = _counts.AddOrUpdate(path, 1, (_, c) => c + 1);
        var segment = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        int status;
        if (segment == "hang")
        {
            Requests.Enqueue(new Received(path, http.Request.Headers["X-Grains-Delivery"].ToString(), http.Request.Headers.UserAgent.ToString(), body, 0, DateTimeOffset.UtcNow));
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        status = segment.StartsWith("fail", StringComparison.Ordinal) && int.TryParse(segment[4..], out var failures) && count <= failures ? 500 : 200;
        Requests.Enqueue(new Received(path, http.Request.Headers["X-Grains-Delivery"].ToString(), http.Request.Headers.UserAgent.ToString(), body, status, DateTimeOffset.UtcNow));
        http.Response.StatusCode = status;
    }

    /// <summary>One request as received.</summary>
    public sealed record Received(string Path, string DeliveryId, string UserAgent, string Body, int Status, DateTimeOffset At)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }
}

internal static class TimeSpanExtensions
{
    public static CancellationToken ToCancellationToken(this TimeSpan timeout) => new CancellationTokenSource(timeout).Token;
}
