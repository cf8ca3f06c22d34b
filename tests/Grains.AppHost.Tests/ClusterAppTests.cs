using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grains.AppHost.Tests.Support;
using Npgsql;

namespace Grains.AppHost.Tests;

/// <summary>
/// Two silos on PostgreSQL started by the AppHost in the test process: one Orleans cluster (an event sent
/// to one silo reads back through the other, the membership table lists both on loopback), and nothing
/// left running once the app is disposed.
/// </summary>
[Collection(AppHostTestingCollection.Name)]
public sealed class ClusterAppTests
{
    private const int ActiveStatus = 3; // Orleans' SiloStatus.Active

    [Fact]
    public async Task Two_silos_on_postgres_form_one_cluster_share_events_and_leave_no_process_behind()
    {
        await using var app = await TestAppHost.StartAsync(silos: 2, postgres: true, dashboard: false);
        var dataDirectory = app.DataDirectory;

        // An event ingested by silo1 is one issue, the same through silo2's API.
        var eventId = await app.SendEventAsync(1, "clustered " + Guid.NewGuid().ToString("N")[..8]);
        var viaSilo1 = await app.WaitForEventAsync(1, eventId, TimeSpan.FromSeconds(60));
        var viaSilo2 = await app.WaitForEventAsync(2, eventId, TimeSpan.FromSeconds(60));
        Assert.Equal(viaSilo1["groupID"]!.GetValue<string>(), viaSilo2["groupID"]!.GetValue<string>());

        // Membership: both silos active, advertised on loopback, one deployment (cluster id), each on the silo port DCP gave its process.
        var members = await ActiveMembersAsync((await app.App.GetConnectionStringAsync(GrainsAppModel.ConnectionName))!);
        Assert.Equal(2, members.Count);
        Assert.All(members, m => Assert.Equal("127.0.0.1", m.Address));
        Assert.Equal(GrainsAppModel.OrleansId, Assert.Single(members.Select(m => m.DeploymentId).Distinct()));
        var siloPorts = app.Model.Silos.Select(silo => SiloPortOfProcess(silo.DataDirectory)).ToList();
        Assert.Equal(2, siloPorts.Distinct().Count());
        Assert.Equal(siloPorts.Order(), members.Select(m => m.Port).Order());

        // What the check below must not find any more: both silos and PostgreSQL name the data root.
        Assert.True(ProcessEnvironment.Mentioning(dataDirectory).Count >= 3, "the silos and PostgreSQL are not found by their data root while running");
        await app.StopAsync();

        // DCP stopped every silo and PostgreSQL (the AppHost waits for it: DcpPublisher:WaitForResourceCleanup).
        var left = await LeftRunningAsync(dataDirectory, TimeSpan.FromSeconds(60));
        Assert.True(left.Count == 0, $"still running after the app was disposed: {string.Join("; ", left)}");
    }

    private static async Task<List<(string DeploymentId, string Address, int Port)>> ActiveMembersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT deploymentid, address, port FROM orleansmembershiptable WHERE status = @active", connection);
        query.Parameters.AddWithValue("active", ActiveStatus);
        await using var reader = await query.ExecuteReaderAsync();
        var members = new List<(string, string, int)>();
        while (await reader.ReadAsync())
        {
            members.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return members;
    }

    /// <summary>The silo port in the environment DCP gave the silo process that uses <paramref name="dataDirectory"/>.</summary>
    private static int SiloPortOfProcess(string dataDirectory)
    {
        // `dotnet run` and the silo it starts both carry the environment; the port is the same in both.
        var ports = ProcessEnvironment.WithVariable("Grains__DataDirectory", dataDirectory)
            .Select(pid => ProcessEnvironment.Of(pid)?.GetValueOrDefault("Orleans__Endpoints__SiloPort"))
            .OfType<string>()
            .Distinct()
            .ToList();
        return int.Parse(Assert.Single(ports), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> LeftRunningAsync(string dataDirectory, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = ProcessEnvironment.Mentioning(dataDirectory)
                .Select(pid => $"{pid}: {ProcessCommandLine(pid)}")
                .ToList();
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(250);
        }
    }

    private static string ProcessCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "(exited)";
        }
    }
}
