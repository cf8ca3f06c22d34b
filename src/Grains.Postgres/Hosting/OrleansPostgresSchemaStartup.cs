using Grains.Postgres.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Grains.Postgres.Hosting;

/// <summary>
/// Applies <see cref="OrleansPostgresSchema"/> when the silo starts, at the first lifecycle stage:
/// before the membership table is initialised (runtime initialisation), before grain storage
/// (application services) and before the reminder service reads its table. A failed migration fails
/// the silo's start, since none of the providers could work without their tables.
/// </summary>
internal sealed class OrleansPostgresSchemaStartup(
    IOptions<OrleansPostgresOptions> options, ILoggerFactory loggerFactory) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrleansPostgresSchemaStartup), ServiceLifecycleStage.First, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.ApplySchema)
        {
            return;
        }

        var migrator = new PostgresSchemaMigrator(
            settings.ConnectionString, settings.MigrationTimeout, loggerFactory.CreateLogger<PostgresSchemaMigrator>());
        await migrator.MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations, cancellationToken).ConfigureAwait(false);
    }
}
