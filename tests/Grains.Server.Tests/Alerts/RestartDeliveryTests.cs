using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Alerts;

/// <summary>Firings recorded by a server that stopped before delivering them are delivered once by the next server on the same database.</summary>
public sealed class RestartDeliveryTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "grains-alert-restart", Guid.NewGuid().ToString("N"));
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up by the OS later.
        }
    }

    private WebApplication Build(TimeSpan sweepPeriod, string? postgres)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Grains:Seed"] = "false",
            ["Grains:Alerts:Delivery:SweepPeriod"] = sweepPeriod.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (postgres is not null)
        {
            return Storage.PostgresServer.Build(postgres, _data, settings).App;
        }

        return GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = _data;
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            foreach (var (key, value) in settings)
            {
                builder.Configuration[key] = value;
            }
        });
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Firings_recorded_before_a_stop_are_delivered_once_after_restart(string backend)
    {
        var postgres = backend == "postgres" ? await global::Grains.Testing.PostgresTestServer.CreateDatabaseAsync("alerts") : null;
        var urls = new[] { $"{_receiver.Url}/ok/{Guid.NewGuid():N}", $"{_receiver.Url}/fail1/{Guid.NewGuid():N}" };
        var firings = Enumerable.Range(0, 5).Select(i => new AlertFiring(
            Guid.NewGuid().ToString("N"), 0, 1000 + i, 1, "rule", Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow,
            """[{"id":"sentry.rules.actions.notify_event_service.NotifyEventServiceAction","service":"webhooks"}]""", ["first_seen"])).ToList();

        // The first server: a project with the webhooks plugin; the firings reach the outbox's table, and the
        // server stops before any deliverer was woken (as when it dies right after the issue grain's write).
        long projectId;
        await using (var first = Build(TimeSpan.FromHours(1), postgres))
        {
            await first.StartAsync();
            var directory = first.Services.GetRequiredService<IDirectoryStore>();
            var organization = await directory.CreateOrganizationAsync("restart", "restart");
            projectId = (await directory.CreateProjectAsync(organization.Id, "restart", "restart", "javascript")).Id;
            var project = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(projectId);
            var update = await project.UpdateOptionsAsync(new Dictionary<string, string>
            {
                ["webhooks:urls"] = System.Text.Json.JsonSerializer.Serialize(string.Join('\n', urls)),
                ["webhooks:enabled"] = "true",
            });
            Assert.True(update.IsValid);
            firings = [.. firings.Select(f => f with { ProjectId = projectId })];
            Assert.Equal(5, await first.Services.GetRequiredService<IAlertDeliveryStore>().RecordAsync(firings, DateTimeOffset.UtcNow));
            await Task.Delay(300);
            Assert.Empty(_receiver.Requests);
            await first.StopAsync();
        }

        await using var second = Build(TimeSpan.FromMilliseconds(200), postgres);
        await second.StartAsync();
        var store = second.Services.GetRequiredService<IAlertDeliveryStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await store.ListAsync(projectId, AlertDeliveryStatus.Delivered, 100)).Count < 10)
        {
            Assert.True(DateTime.UtcNow < deadline, "the recorded firings were not delivered after the restart");
            await Task.Delay(50);
        }

        await Task.Delay(500);
        var accepted = _receiver.Requests.Where(r => r.Status == 200).ToList();
        Assert.Equal(10, accepted.Count);
        Assert.Equal(10, accepted.Select(r => r.DeliveryId).Distinct().Count());
        var expected = firings.SelectMany(f => urls.Select(u => AlertDeliveryIds.For(f.Id, AlertDeliveryKinds.Webhooks, u))).Order().ToList();
        Assert.Equal(expected, accepted.Select(r => r.DeliveryId).Order().ToList());
        await second.StopAsync();
    }
}
