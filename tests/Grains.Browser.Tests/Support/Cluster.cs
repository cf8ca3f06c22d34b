using Grains.Testing;
using Npgsql;

namespace Grains.Browser.Tests.Support;

/// <summary>
/// Silos of one Orleans cluster on a fresh PostgreSQL database (the server of GRAINS_TEST_POSTGRES, or a
/// throwaway one), each its own Grains.Server process with its own port and data directory, as the
/// AppHost and e2e run them. The first silo seeds (organization, project, key, owner).
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private Cluster(string database, IReadOnlyList<GrainsServer> silos)
    {
        Database = database;
        Silos = silos;
    }

    /// <summary>The cluster's database (connection string).</summary>
    public string Database { get; }

    public IReadOnlyList<GrainsServer> Silos { get; }

    /// <summary>Starts <paramref name="size"/> silos, one after the other, and waits until each sees all of them active.</summary>
    public static async Task<Cluster> StartAsync(int size)
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("browser");
        var token = "grains-browser-" + Guid.NewGuid().ToString("N");
        var silos = new List<GrainsServer>();
        var cluster = new Cluster(database, silos);
        try
        {
            for (var i = 1; i <= size; i++)
            {
                var environment = new Dictionary<string, string>
                {
                    ["Grains__Storage__Provider"] = "postgres",
                    ["ConnectionStrings__grains"] = database,
                    ["Orleans__Endpoints__SiloPort"] = GrainsServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Orleans__Endpoints__GatewayPort"] = "0",
                    ["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1",
                    ["Grains__Seed"] = "true",
                    ["Logging__LogLevel__Npgsql"] = "Warning",
                };
                silos.Add(await GrainsServer.StartAsync(environment, adminToken: token, name: $"silo{i}"));
            }

            await Poll.UntilAsync(
                async () =>
                {
                    await using var connection = new NpgsqlConnection(database);
                    await connection.OpenAsync();
                    await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3", connection);
                    return (long)(await command.ExecuteScalarAsync())! == size ? "" : null;
                },
                TimeSpan.FromSeconds(90),
                $"{size} active silos in the membership table");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stop the later silos first: the first one holds nothing the others need to leave cleanly.
        foreach (var silo in Silos.Reverse())
        {
            await silo.DisposeAsync();
        }
    }
}
