using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grains.Server.Tests.Logging;

/// <summary>The logging defaults apply without <c>appsettings.json</c> (another working directory, the AppHost).</summary>
public sealed class ServerDefaultsTests
{
    [Fact]
    public async Task Without_appsettings_json_request_logs_are_at_Warning_and_the_rest_at_Information()
    {
        var data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        await using var app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            // As when the working directory has no appsettings.json.
            foreach (var json in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
            {
                builder.Configuration.Sources.Remove(json);
            }

            builder.Configuration["Grains:DataDirectory"] = data;
            builder.Configuration["Grains:Seed"] = "false";
        });
        try
        {
            var loggers = app.Services.GetRequiredService<ILoggerFactory>();
            Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
            Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Warning));
            Assert.True(loggers.CreateLogger("Orleans.Runtime.Silo").IsEnabled(LogLevel.Warning));
            Assert.False(loggers.CreateLogger("Orleans.Runtime.Silo").IsEnabled(LogLevel.Information));
            Assert.True(loggers.CreateLogger("Grains.Server.Ingest.IngestWarmup").IsEnabled(LogLevel.Information));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void The_environment_and_command_line_still_override_the_defaults()
    {
        var data = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        var app = GrainsServer.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Microsoft.AspNetCore=Debug", "--Grains:DataDirectory", data, "--Grains:Seed=false"]);
        try
        {
            Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Debug));
        }
        finally
        {
            ((IDisposable)app).Dispose();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Appsettings_json_carries_the_same_logging_defaults()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var levels = json.RootElement.GetProperty("Logging").GetProperty("LogLevel").EnumerateObject()
            .ToDictionary(p => $"Logging:LogLevel:{p.Name}", p => (string?)p.Value.GetString());
        Assert.Equal(ServerDefaults.Values.OrderBy(p => p.Key), levels.OrderBy(p => p.Key));
    }
}
