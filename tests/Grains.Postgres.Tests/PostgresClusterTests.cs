using System.Diagnostics;
using Grains.Postgres.Schema;
using Grains.Postgres.TestSilo;
using Grains.Postgres.TestSilo.TestGrains;
using Grains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Xunit.Abstractions;

namespace Grains.Postgres.Tests;

/// <summary>
/// Silos in this process, configured only through the PostgreSQL silo-builder extensions, on a fresh
/// database per test (the schema is applied by the silos themselves at start).
/// </summary>
[Collection(nameof(PostgresClusterTests))] // silos of different tests must not compete for the two cores during timing
public sealed class PostgresClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_silos_started_together_on_an_empty_database_form_one_cluster_with_one_activation_per_grain()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        await using var a = InProcessSilo.Create(database);
        await using var b = InProcessSilo.Create(database);

        // Both apply the schema at start; the lock makes one of them do it.
        await Task.WhenAll(a.StartAsync(), b.StartAsync());

        Assert.Equal(4, await Sql.ScalarAsync(database, $"SELECT count(*) FROM grains_component_schema WHERE component = '{OrleansPostgresSchema.Component}'"));
        await Poll.UntilAsync(async () => (await ActiveSilosAsync(a)).Count == 2 && (await ActiveSilosAsync(b)).Count == 2 ? "" : null, Deadline, "both silos see two active silos");
        Assert.Equal(2, await Sql.ScalarAsync(database, "SELECT count(*) FROM orleansmembershiptable WHERE status = 3")); // 3 = Active

        // Each grain is first called from one silo (it prefers local placement), so both silos host some.
        var identities = new List<(ActivationIdentity FromA, ActivationIdentity FromB)>();
        for (var i = 0; i < 10; i++)
        {
            var first = i % 2 == 0 ? a : b;
            var key = $"probe-{i}";
            var initial = await first.Grains.GetGrain<IActivationProbeGrain>(key).IdentifyAsync();
            var fromA = await a.Grains.GetGrain<IActivationProbeGrain>(key).IdentifyAsync();
            var fromB = await b.Grains.GetGrain<IActivationProbeGrain>(key).IdentifyAsync();
            Assert.Equal(initial, fromA);
            identities.Add((fromA, fromB));
        }

        Assert.All(identities, pair => Assert.Equal(pair.FromA, pair.FromB));
        Assert.Equal([a.Address, b.Address], identities.Select(p => p.FromA.Silo).Distinct().OrderBy(s => s == a.Address ? 0 : 1));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_raises_InconsistentStateException_through_the_adonet_storage()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        await using var silo = await InProcessSilo.StartAsync(database);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var grain = GrainId.Create("counter", "etag-1");

        var mine = new GrainState<CounterState>(new CounterState { Value = 1 });
        await storage.WriteStateAsync("counter", grain, mine);
        var staleETag = mine.ETag;
        mine.State = new CounterState { Value = 2 };
        await storage.WriteStateAsync("counter", grain, mine);

        var stale = new GrainState<CounterState>(new CounterState { Value = 99 }) { ETag = staleETag };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grain, stale));
        // A writer that never read (no ETag) may not overwrite an existing row either.
        var blind = new GrainState<CounterState>(new CounterState { Value = 100 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", grain, blind));

        var read = new GrainState<CounterState>(new CounterState());
        await storage.ReadStateAsync("counter", grain, read);
        Assert.Equal(2, read.State?.Value);
        Assert.Equal(mine.ETag, read.ETag);
        Assert.Equal(1, await Sql.ScalarAsync(database, "SELECT count(*) FROM orleansstorage"));
    }

    [Fact]
    public async Task A_reminder_registered_on_one_silo_fires_on_a_new_silo_after_a_restart()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        var key = "reminder-" + Guid.NewGuid().ToString("N");
        var first = await InProcessSilo.StartAsync(database);
        await first.Grains.GetGrain<IReminderProbeGrain>(key).RegisterAsync("tick", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Sql.ScalarAsync(database, $"SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%{key}%'"));
        var firstAddress = first.Address;
        await first.StopAsync();

        await using var second = await InProcessSilo.StartAsync(database);

        // The new silo never heard of the reminder: only the table can have told it.
        var tick = await Poll.UntilAsync(
            () => Task.FromResult(ReminderTicks.All.FirstOrDefault(t => t.Grain == key && t.Silo == second.Address)),
            Deadline,
            "the reminder fires on the restarted silo");
        Assert.Equal("tick", tick.Reminder);
        Assert.NotEqual(firstAddress, second.Address);
    }

    [Fact]
    public async Task A_silo_killed_with_sigkill_is_declared_dead_and_its_grain_reactivated_on_the_survivor_within_10_s()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        await using var survivor = await InProcessSilo.StartAsync(database);
        var grain = "victim-" + Guid.NewGuid().ToString("N");
        using var victim = await SiloProcess.StartAsync(database, "grains-test", grain, Deadline);
        await Poll.UntilAsync(async () => (await ActiveSilosAsync(survivor)).ContainsKey(victim.Address) ? "" : null, Deadline, "the survivor sees the victim");
        var before = await survivor.Grains.GetGrain<IActivationProbeGrain>(grain).IdentifyAsync();
        Assert.Equal((victim.Activation, victim.Address), (before.Activation, before.Silo));

        var clock = Stopwatch.StartNew();
        await victim.KillAsync();
        var after = await Poll.UntilAsync(
            async () =>
            {
                // Calls to the dead silo's grains fail fast until it is declared dead; bound each try anyway.
                using var call = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                return await survivor.Grains.GetGrain<IActivationProbeGrain>(grain).IdentifyAsync().WaitAsync(call.Token);
            },
            TimeSpan.FromSeconds(30),
            "the grain answers from the survivor");
        var reactivated = clock.Elapsed;
        await Poll.UntilAsync(
            async () => await Sql.ScalarAsync(database, $"SELECT count(*) FROM orleansmembershiptable WHERE port = {victim.Address.Endpoint.Port} AND status = 6") == 1 ? "" : null, // 6 = Dead
            TimeSpan.FromSeconds(30),
            "the victim's row says Dead");
        var suspecters = await Sql.RowsAsync(database, $"SELECT coalesce(suspecttimes, '') FROM orleansmembershiptable WHERE port = {victim.Address.Endpoint.Port}");
        output.WriteLine($"SIGKILL -> grain reactivated on the survivor after {reactivated.TotalSeconds:0.00} s; victim's row Dead by {clock.Elapsed.TotalSeconds:0.00} s; votes: {suspecters[0][0]}");

        Assert.Equal(survivor.Address, after.Silo);
        Assert.NotEqual(before.Activation, after.Activation);
        // The survivor's vote, not the victim's own leave, put it there.
        Assert.Contains(survivor.Address.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)suspecters[0][0], StringComparison.Ordinal);
        Assert.True(reactivated < TimeSpan.FromSeconds(10), $"took {reactivated.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task A_silo_without_a_connection_string_fails_to_start_naming_the_option()
    {
        await using var silo = InProcessSilo.Create(connectionString: " ");

        var error = await Assert.ThrowsAsync<OrleansConfigurationException>(silo.StartAsync);

        Assert.Contains("OrleansPostgresOptions.ConnectionString", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<SiloAddress, SiloStatus>> ActiveSilosAsync(InProcessSilo silo) =>
        await silo.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
}
