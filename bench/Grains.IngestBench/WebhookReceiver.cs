using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grains.IngestBench;

/// <summary>
/// A webhook endpoint in the bench process (Kestrel on loopback) that notes when each alert arrives:
/// by the triggering event's id (the payload's <c>event.event_id</c>) and by delivery id (the header),
/// so duplicates are counted.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>The delivery-id header every delivery carries (the receiver's idempotency key).</summary>
    public const string DeliveryHeader = "X-Grains-Delivery";

    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Event id → <see cref="Stopwatch.GetTimestamp"/> of the first delivery that carried it.</summary>
    public ConcurrentDictionary<string, long> ArrivedAt { get; } = new();

    /// <summary>Delivery id → deliveries received with it (more than 1 is a duplicate).</summary>
    public ConcurrentDictionary<string, int> Deliveries { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, $"http://127.0.0.1:{port}/hook");
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var json = await JsonDocument.ParseAsync(context.Request.Body);
            if (json.RootElement.TryGetProperty("event", out var evt) && evt.TryGetProperty("event_id", out var id) && id.GetString() is { } eventId)
            {
                receiver.ArrivedAt.TryAdd(eventId, at);
            }

            var delivery = context.Request.Headers[DeliveryHeader].ToString();
            receiver.Deliveries.AddOrUpdate(delivery, 1, (_, n) => n + 1);
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
