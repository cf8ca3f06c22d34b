using Grains.Reminders.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>Configuration alone picks both providers by name ([assembly: RegisterProvider]), with no extension call.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Provider_type_Sqlite_in_configuration_selects_both_providers_on_one_file()
    {
        using var file = new TempFile();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = SqliteCluster.ServiceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:GrainStorage:Default:ProviderType"] = "Sqlite",
            ["Orleans:GrainStorage:Default:DataSource"] = file.Path,
            ["Orleans:GrainStorage:Default:DeleteStateOnClear"] = "true",
            ["Orleans:Reminders:ProviderType"] = "Sqlite",
        }));
        builder.ConfigureSilo((_, silo) => silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        var services = cluster.GetSiloServiceProvider();
        Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>("Default"));
        Assert.IsType<SqliteReminderTable>(services.GetRequiredService<IReminderTable>());
        Assert.True(services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SqliteGrainStorageOptions>>().Get("Default").DeleteStateOnClear);

        var grain = cluster.Client.GetGrain<ICounterGrain>("configured");
        Assert.Equal(1, await grain.Increment());
        await grain.StartTicking(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        Assert.True(File.Exists(file.Path));
        var reminder = await services.GetRequiredService<IReminderTable>().ReadRow(grain.GetGrainId(), CounterGrain.ReminderName);
        Assert.NotNull(reminder);
    }
}
