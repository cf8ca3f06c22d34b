using Grains.Streaming.Postgres;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>
/// Migrates the log's tables while the silo starts (application-services stage, before the stream
/// provider's pulling agents start), so an unreachable database or a failing script fails the start
/// instead of the first append.
/// </summary>
internal sealed class PostgresDurableLogSchemaStartup(PostgresDurableLog log) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresDurableLogSchemaStartup), ServiceLifecycleStage.ApplicationServices, log.InitializeAsync);
}
