using System.Diagnostics.Metrics;
using Grains.Sqlite;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Xunit.Abstractions;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>Runs alone: it counts the shared writer's transactions through its process-wide meter.</summary>
[CollectionDefinition(nameof(GroupCommitCollection), DisableParallelization = true)]
public sealed class GroupCommitCollection;

/// <summary>Grain state writes join the shared writer's group commit.</summary>
[Collection(nameof(GroupCommitCollection))]
public sealed class GroupCommitTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_thousand_concurrent_writes_to_different_grains_commit_in_fewer_transactions()
    {
        const int Writes = 1_000;
        var storage = fixture.Storage();
        long transactions = 0;
        long operations = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SqliteDiagnostics.Name && instrument.Name == "grains.sqlite.transaction.size")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref transactions);
            Interlocked.Add(ref operations, size);
        });
        listener.Start();

        await Task.WhenAll(Enumerable.Range(0, Writes).Select(i =>
        {
            var state = new GrainState<CounterState>(new CounterState { Value = i });
            return storage.WriteStateAsync("counter", GrainId.Create("grouped", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), state);
        }));
        listener.Dispose();
        output.WriteLine($"{Writes} concurrent writes: {transactions} transactions, {operations} operations committed");

        // Every write was committed by some transaction, and those transactions were fewer than the writes.
        Assert.True(Interlocked.Read(ref operations) >= Writes, $"{operations} operations committed for {Writes} writes");
        Assert.True(Interlocked.Read(ref transactions) < Writes, $"{transactions} transactions for {Writes} writes");
    }
}
