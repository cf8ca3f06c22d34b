using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grains.IngestBench;

/// <summary>The ceiling: Kestrel reading each request body fully and answering 200 with a small JSON body.</summary>
public static class CeilingServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var reply = "{\"id\":\"00000000000000000000000000000000\"}"u8.ToArray();
        app.MapGet("/health", () => "Healthy");
        app.MapPost("/api/{projectId}/envelope/", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            while (await context.Request.Body.ReadAsync(buffer) > 0)
            {
            }

            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(reply);
        });
        await app.RunAsync();
    }
}
