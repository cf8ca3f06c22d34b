using Grains.Monitoring.Alerts;
using Grains.Server.Tests.Api;
using Grains.Server.Tests.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grains.Server.Tests.Alerts;

/// <summary>An API server with fast delivery settings (short back-off, 500 ms timeout, 3 attempts), its logs captured, and a webhook receiver.</summary>
public sealed class AlertServer : ApiServer
{
    public CapturingLoggerProvider Logs { get; } = new();

    public WebhookReceiver Receiver { get; private set; } = null!;

    public IAlertOutbox Outbox => Services.GetRequiredService<IAlertOutbox>();

    public override async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["Grains:Alerts:Delivery:InitialBackoff"] = "00:00:00.200";
        builder.Configuration["Grains:Alerts:Delivery:MaxBackoff"] = "00:00:00.800";
        builder.Configuration["Grains:Alerts:Delivery:Timeout"] = "00:00:00.500";
        builder.Configuration["Grains:Alerts:Delivery:MaxAttempts"] = "4";
        builder.Configuration["Grains:Alerts:Delivery:SweepPeriod"] = "00:00:00.250";
        builder.Configuration["Grains:PublicUrl"] = "https://grains.example";
        builder.Configuration["Logging:LogLevel:Grains.Monitoring.Alerts"] = "Information";
        builder.Logging.AddProvider(Logs);
    }
}
