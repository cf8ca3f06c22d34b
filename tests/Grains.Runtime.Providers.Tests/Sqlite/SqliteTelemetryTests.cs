using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grains.Runtime.Sqlite;
using Grains.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

[Collection(TelemetryCollection.Name)]
public sealed class SqliteTelemetryTests : IAsyncLifetime
{
    private readonly SqliteTestStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task A_thousand_concurrent_state_writes_share_a_handful_of_transactions()
    {
        var transactions = new List<int>();
        long operations = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SqliteDiagnostics.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, size, _, _) =>
        {
            if (instrument.Name == "grains.sqlite.transaction.size")
            {
                lock (transactions)
                {
                    transactions.Add(size);
                }
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, count, _, _) =>
        {
            if (instrument.Name == "grains.sqlite.operations")
            {
                Interlocked.Add(ref operations, count);
            }
        });
        listener.Start();
        var storage = new SqliteGrainStorage(_store.Open());

        await Task.WhenAll(Enumerable.Range(0, 1_000).Select(i => storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes($"{i}"), null)));

        lock (transactions)
        {
            Assert.Equal(1_000, transactions.Sum());
            Assert.InRange(transactions.Count, 1, 100);
        }

        Assert.Equal(1_000, Interlocked.Read(ref operations));
    }

    [Fact]
    public async Task The_commit_activity_links_to_the_callers()
    {
        using var callerSource = new ActivitySource("Grains.Runtime.Providers.Tests");
        var commits = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SqliteDiagnostics.Name or "Grains.Runtime.Providers.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == SqliteDiagnostics.Name)
                {
                    lock (commits)
                    {
                        commits.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var storage = new SqliteGrainStorage(_store.Open());

        ActivityContext caller;
        using (var activity = callerSource.StartActivity("caller"))
        {
            caller = activity!.Context;
            await storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("x"), null);
        }

        lock (commits)
        {
            var commit = Assert.Single(commits, c => c.Links.Any(link => link.Context == caller));
            Assert.Equal("grains.sqlite.commit", commit.OperationName);
            Assert.NotEqual(caller.TraceId, commit.TraceId);
        }
    }
}
