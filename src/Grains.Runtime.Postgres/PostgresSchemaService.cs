using Microsoft.Extensions.Hosting;

namespace Grains.Runtime.Postgres;

/// <summary>Migrates the runtime's tables when the host starts (see <see cref="PostgresServiceCollectionExtensions.AddGrainsPostgres"/>).</summary>
internal sealed class PostgresSchemaService(PostgresDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureRuntimeSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
