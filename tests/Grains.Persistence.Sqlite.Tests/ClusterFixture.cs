using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>
/// One silo on a fresh SQLite file, shared by the provider tests of a class: the providers are
/// resolved from the silo exactly as Orleans resolves them (named options, serializer, service id).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempFile _file = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IServiceProvider Services => Cluster.GetSiloServiceProvider();

    public IGrainStorage Storage(string name = "Default") => Services.GetRequiredKeyedService<IGrainStorage>(name);

    public IReminderTable Reminders => Services.GetRequiredService<IReminderTable>();

    public async Task InitializeAsync() => Cluster = await SqliteCluster.StartAsync(_file.Path);

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _file.Dispose();
    }
}
