using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Tests.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;

namespace Grains.Server.Tests.Ingest;

/// <summary>A start readies the ingest path (DSN keys cached, pipeline compiled) before stream delivery begins.</summary>
public sealed class IngestWarmupTests
{
    [Fact]
    public async Task A_restart_resolves_the_active_dsn_keys_and_runs_the_pipeline_before_delivery()
    {
        var data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = Build(data, null))
            {
                await first.StartAsync();
                var directory = first.Services.GetRequiredService<IDirectoryStore>();
                var organization = await directory.CreateOrganizationAsync("acme", "Acme");
                var project = await directory.CreateProjectAsync(organization.Id, "web", "Web", "javascript");
                var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(project.Id);
                await grain.CreateKeyAsync("One");
                await grain.CreateKeyAsync("Two");
                await first.StopAsync();
            }

            var capture = new CapturingLoggerProvider();
            await using var second = Build(data, capture);
            await second.StartAsync();
            // Delivery starts after the host started (StreamDeliveryStarter), so wait for it with a deadline.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var lines = capture.Lines.ToList();
            while (!(lines.Exists(line => line.Contains("reads after checkpoint", StringComparison.Ordinal)) && lines.Exists(line => line.Contains("Stream delivery started", StringComparison.Ordinal)))
                   && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
                lines = capture.Lines.ToList();
            }

            var warmedUp = lines.FindIndex(line => line.Contains("Ingest path warmed up (2 DSN keys resolved)", StringComparison.Ordinal));
            var delivery = lines.FindIndex(line => line.Contains("Stream delivery started", StringComparison.Ordinal));
            var firstQueue = lines.FindIndex(line => line.Contains("reads after checkpoint", StringComparison.Ordinal));
            Assert.True(warmedUp >= 0, string.Join("\n", lines));
            Assert.True(delivery > warmedUp, string.Join("\n", lines));
            Assert.True(firstQueue > warmedUp, string.Join("\n", lines));
            Assert.DoesNotContain(lines, line => line.Contains("Warming up the ingest path failed", StringComparison.Ordinal));
            await second.StopAsync();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static WebApplication Build(string data, CapturingLoggerProvider? capture) =>
        GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = data;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Information";
            builder.Configuration["Logging:LogLevel:Grains.Streaming"] = "Debug";
            if (capture is not null)
            {
                builder.Logging.AddProvider(capture);
            }
        });
}
