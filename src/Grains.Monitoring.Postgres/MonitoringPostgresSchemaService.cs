using Grains.Postgres;
using Microsoft.Extensions.Hosting;

namespace Grains.Monitoring.Postgres;

/// <summary>Migrates the monitoring and item tables when the host starts (see <see cref="MonitoringPostgresServiceCollectionExtensions.AddGrainsMonitoringPostgres"/>).</summary>
internal sealed class MonitoringPostgresSchemaService(PostgresDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => PostgresSchemaGate.For(database).ItemsAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
