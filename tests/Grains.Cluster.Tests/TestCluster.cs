using Grains.Testing;

namespace Grains.Cluster.Tests;

/// <summary>Several silos in this process on one fresh PostgreSQL database.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(string connectionString, int partitionCount)
    {
        ConnectionString = connectionString;
        PartitionCount = partitionCount;
    }

    public string ConnectionString { get; }

    public int PartitionCount { get; }

    public List<TestSilo> Silos { get; } = [];

    public static async Task<TestCluster> StartAsync(int silos, int partitionCount = 16)
    {
        var cluster = new TestCluster(await PostgresTestServer.CreateDatabaseAsync("cluster"), partitionCount);
        for (var i = 0; i < silos; i++)
        {
            await cluster.AddSiloAsync();
        }

        await cluster.WaitBalancedAsync();
        return cluster;
    }

    public async Task<TestSilo> AddSiloAsync()
    {
        var silo = await TestSilo.StartAsync(ConnectionString, PartitionCount);
        Silos.Add(silo);
        return silo;
    }

    /// <summary>
    /// Waits until every partition is owned by exactly one running silo, each silo owns some, and the
    /// layout has not changed for a second (rendezvous targets reached, no hand-over in flight).
    /// </summary>
    public async Task WaitBalancedAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        string? layout = null;
        var stableSince = DateTime.UtcNow;
        while (true)
        {
            var owned = Silos.SelectMany(s => s.Membership.OwnedPartitions).ToList();
            var current = string.Join(";", Silos.Select(s => string.Join(',', s.Membership.OwnedPartitions.Order())));
            if (current != layout)
            {
                layout = current;
                stableSince = DateTime.UtcNow;
            }

            if (owned.Count == PartitionCount && owned.Distinct().Count() == PartitionCount && Silos.All(s => s.Membership.OwnedPartitions.Count > 0)
                && DateTime.UtcNow - stableSince >= TimeSpan.FromSeconds(1))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Partitions not balanced: {string.Join("; ", Silos.Select(s => $"{s.Address}: [{string.Join(',', s.Membership.OwnedPartitions.Order())}]"))}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.KillAsync();
        }
    }
}
