using System.Diagnostics;

namespace Grains.Cluster.Tests;

public sealed class RebalancingTests
{
    [Fact]
    public async Task Adding_a_silo_moves_only_its_share_of_partitions_while_calls_keep_succeeding()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 2, partitionCount: 32);
        var before = Owners(cluster);

        using var stop = new CancellationTokenSource();
        var (load, succeeded) = StartCounting(cluster, stop.Token);
        var added = await cluster.AddSiloAsync();
        await cluster.WaitBalancedAsync();
        await Task.Delay(300); // calls keep running across the settled layout too
        stop.Cancel();
        var failures = await load;

        Assert.Empty(failures);
        var after = Owners(cluster);
        var moved = before.Where(p => after[p.Key] != p.Value).Select(p => p.Key).ToList();
        // Every moved partition went to the new silo; none moved between the old ones.
        Assert.All(moved, p => Assert.Equal(added.Address, after[p]));
        Assert.Equal(added.Membership.OwnedPartitions.Count, moved.Count);
        // About 1/3 of 32; rendezvous hashing gives a spread, not an exact share.
        Assert.InRange(moved.Count, 4, 20);

        // Nothing counted twice or lost through the hand-over.
        foreach (var (key, count) in succeeded)
        {
            var final = await cluster.Silos[0].Grains.GetGrain<IProbeGrain>(key).WhereAsync();
            Assert.Equal(count, final.Count);
        }
    }

    [Fact]
    public async Task Removing_a_silo_gracefully_loses_no_stream_item_and_applies_none_twice()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, partitionCount: 16);
        const int keys = 24;
        const int perKey = 60;
        var leaving = cluster.Silos[2];
        var producers = cluster.Silos.Take(2).ToList();

        var append = Task.Run(async () =>
        {
            for (var n = 0; n < perKey; n++)
            {
                var batch = Enumerable.Range(0, keys).Select(k => TallyGrain.Message("k" + k, n)).ToList();
                await producers[n % 2].Streams.AppendAsync(batch);
                if (n == perKey / 3)
                {
                    _ = leaving.StopAsync();
                }
            }
        });
        await append;
        await leaving.StopAsync();
        cluster.Silos.Remove(leaving);
        await cluster.WaitBalancedAsync();

        await WaitUntilAsync(async () =>
        {
            foreach (var k in Enumerable.Range(0, keys))
            {
                var applied = await cluster.Silos[0].Grains.GetGrain<ITallyGrain>("k" + k).AppliedAsync();
                if (applied.Count < perKey)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(60));

        for (var k = 0; k < keys; k++)
        {
            var applied = await cluster.Silos[1].Grains.GetGrain<ITallyGrain>("k" + k).AppliedAsync();
            Assert.Equal(Enumerable.Range(0, perKey), applied);
        }
    }

    [Fact]
    public async Task A_killed_silos_partitions_are_taken_over_within_ten_seconds_and_its_unprocessed_items_are_applied_once()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, partitionCount: 16);
        var victim = cluster.Silos[1];
        var victimPartitions = victim.Membership.OwnedPartitions.ToHashSet();
        Assert.NotEmpty(victimPartitions);

        const int keys = 16;
        for (var n = 0; n < 20; n++)
        {
            await cluster.Silos[0].Streams.AppendAsync(Enumerable.Range(0, keys).Select(k => TallyGrain.Message("t" + k, n)).ToList());
        }

        var killed = Stopwatch.StartNew();
        await victim.KillAsync();
        cluster.Silos.Remove(victim);
        await WaitUntilAsync(
            () => Task.FromResult(cluster.Silos.SelectMany(s => s.Membership.OwnedPartitions).Distinct().Count() == cluster.PartitionCount),
            TimeSpan.FromSeconds(10));
        var takeover = killed.Elapsed;
        await cluster.WaitBalancedAsync();
        Assert.True(takeover < TimeSpan.FromSeconds(10), $"take-over took {takeover}");

        for (var n = 20; n < 30; n++)
        {
            await cluster.Silos[1].Streams.AppendAsync(Enumerable.Range(0, keys).Select(k => TallyGrain.Message("t" + k, n)).ToList());
        }

        await WaitUntilAsync(async () =>
        {
            foreach (var k in Enumerable.Range(0, keys))
            {
                if ((await cluster.Silos[0].Grains.GetGrain<ITallyGrain>("t" + k).AppliedAsync()).Count < 30)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(60));

        for (var k = 0; k < keys; k++)
        {
            Assert.Equal(Enumerable.Range(0, 30), await cluster.Silos[1].Grains.GetGrain<ITallyGrain>("t" + k).AppliedAsync());
        }
    }

    [Fact]
    public async Task A_silo_that_loses_its_database_session_stops_serving_at_once_and_rejoins_as_a_new_generation()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 2, partitionCount: 16);
        var victim = cluster.Silos[0];
        var before = victim.Membership.SiloId;
        Assert.NotEmpty(victim.Membership.OwnedPartitions);
        for (var i = 0; i < 16; i++)
        {
            await victim.Grains.GetGrain<IProbeGrain>("session-" + i).IncrementAsync(1);
        }

        // The database ends the membership session (a failover, a network cut, an administrator).
        await using (var connection = new Npgsql.NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var terminate = new Npgsql.NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", connection);
            terminate.Parameters.AddWithValue("name", "Grains membership " + victim.Address);
            Assert.Equal(1L, await terminate.ExecuteScalarAsync());
        }

        await WaitUntilAsync(() => Task.FromResult(victim.Membership.SiloId != before && victim.Membership.IsJoined), TimeSpan.FromSeconds(30));
        await cluster.WaitBalancedAsync();

        // Every grain is reachable again with its state intact (one activation, counts kept).
        for (var i = 0; i < 16; i++)
        {
            var info = await cluster.Silos[1].Grains.GetGrain<IProbeGrain>("session-" + i).IncrementAsync(1);
            Assert.Equal(2, info.Count);
        }
    }

    private static Dictionary<int, string> Owners(TestCluster cluster) =>
        cluster.Silos.SelectMany(s => s.Membership.OwnedPartitions.Select(p => (p, s.Address))).ToDictionary(x => x.p, x => x.Address);

    /// <summary>Increments 16 counters round-robin from every silo until stopped; returns failures and per-key successes.</summary>
    private static (Task<List<Exception>> Failures, Dictionary<string, int> Succeeded) StartCounting(TestCluster cluster, CancellationToken stop)
    {
        var succeeded = new Dictionary<string, int>();
        var silos = cluster.Silos.ToList();
        var task = Task.Run(async () =>
        {
            var failures = new List<Exception>();
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var key = "load-" + (n % 16);
                try
                {
                    await silos[n % silos.Count].Grains.GetGrain<IProbeGrain>(key).IncrementAsync(1);
                    succeeded[key] = succeeded.GetValueOrDefault(key) + 1;
                }
                catch (Exception exception)
                {
                    failures.Add(exception);
                }

                n++;
            }

            return failures;
        });
        return (task, succeeded);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within " + timeout);
            }

            await Task.Delay(100);
        }
    }
}
