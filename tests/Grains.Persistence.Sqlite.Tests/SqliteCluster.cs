using Grains.Persistence.Sqlite.Hosting;
using Grains.Reminders.Sqlite.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>Builds a one-silo Orleans test cluster whose grain state and reminders live in one SQLite file.</summary>
public static class SqliteCluster
{
    /// <summary>The service id every cluster of these tests uses: rows are keyed by it, so a new cluster on the same file sees the old one's.</summary>
    public const string ServiceId = "grains-persistence-tests";

    /// <summary>A provider that deletes the row on clear (beside the default one that keeps it).</summary>
    public const string DeletingProvider = "deleting";

    public static async Task<InProcessTestCluster> StartAsync(string dataSource)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteGrainStorageAsDefault();
            silo.AddSqliteGrainStorage(DeletingProvider, o => o.DeleteStateOnClear = true);
            silo.UseSqliteReminderService(o => o.DataSource = dataSource);

            // Seconds instead of Orleans' one-minute floor, so a test sees a tick after a restart quickly.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
