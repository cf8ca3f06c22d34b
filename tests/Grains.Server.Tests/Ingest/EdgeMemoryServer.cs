using Microsoft.AspNetCore.Builder;

namespace Grains.Server.Tests.Ingest;

/// <summary>An <see cref="IngestServer"/> whose inflation budget refuses at once instead of waiting, for its own tests only.</summary>
public sealed class EdgeMemoryServer : IngestServer
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Configuration["Grains:Ingest:InflationWait"] = "00:00:00";
}
