using Grains.Server.Tests.Api;
using Microsoft.AspNetCore.Builder;

namespace Grains.Server.Tests.Alerts;

/// <summary>An API server whose email alerts go to a real SMTP server on loopback (<see cref="SmtpTestServer"/>).</summary>
public sealed class EmailServer : ApiServer
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["Grains:Alerts:Smtp:Host"] = "127.0.0.1";
        builder.Configuration["Grains:Alerts:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Grains:Alerts:Smtp:Security"] = "none";
        builder.Configuration["Grains:Alerts:Smtp:From"] = "Grains Alerts <alerts@grains.example>";
        builder.Configuration["Grains:Alerts:Delivery:SweepPeriod"] = "00:00:00.250";
        builder.Configuration["Grains:PublicUrl"] = "https://grains.example";
    }
}
