using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grains.Runtime.Persistence;
using Grains.Runtime.Postgres;
using Grains.Runtime.Providers.Tests.Sqlite;
using Grains.Runtime.Streams;

namespace Grains.Runtime.Providers.Tests.Postgres;

[Collection(TelemetryCollection.Name)]
public sealed class PostgresTelemetryTests : IAsyncLifetime
{
    private PostgresTestStore _store = null!;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Operations_are_counted_by_kind_and_outcome_and_appends_by_size()
    {
        var operations = new List<(string Kind, string Outcome)>();
        var sizes = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PostgresDiagnostics.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, count, tags, _) =>
        {
            if (instrument.Name == "grains.postgres.operations")
            {
                string? kind = null, outcome = null;
                foreach (var tag in tags)
                {
                    kind = tag.Key == "grains.postgres.operation" ? (string?)tag.Value : kind;
                    outcome = tag.Key == "grains.postgres.outcome" ? (string?)tag.Value : outcome;
                }

                lock (operations)
                {
                    operations.Add((kind!, outcome!));
                }
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, size, _, _) =>
        {
            if (instrument.Name == "grains.postgres.append.size")
            {
                lock (sizes)
                {
                    sizes.Add(size);
                }
            }
        });
        listener.Start();
        var database = _store.Open();
        var storage = new PostgresGrainStorage(database);
        var log = new PostgresStreamLog(database);
        var grain = TestData.NewGrain();

        await storage.WriteAsync("state", grain, TestData.Bytes("x"), null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("state", grain, TestData.Bytes("y"), null));
        await log.AppendAsync([new StreamRecord(0, new StreamId("events", "k"), TestData.Bytes("1")), new StreamRecord(1, new StreamId("events", "k"), TestData.Bytes("2"))]);

        lock (operations)
        {
            Assert.Equal([("state.write", "ok"), ("state.write", "conflict"), ("stream.append", "ok")], operations);
        }

        lock (sizes)
        {
            Assert.Equal([2], sizes);
        }
    }

    [Fact]
    public async Task An_operation_is_a_span_under_the_callers()
    {
        using var callerSource = new ActivitySource("Grains.Runtime.Providers.Tests");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PostgresDiagnostics.Name or "Grains.Runtime.Providers.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == PostgresDiagnostics.Name)
                {
                    lock (spans)
                    {
                        spans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var log = new PostgresStreamLog(_store.Open());

        ActivityContext caller;
        using (var activity = callerSource.StartActivity("caller"))
        {
            caller = activity!.Context;
            await log.AppendAsync([new StreamRecord(0, new StreamId("events", "k"), TestData.Bytes("1"))]);
        }

        lock (spans)
        {
            var append = Assert.Single(spans, s => s.OperationName == "grains.postgres.stream.append");
            Assert.Equal(caller.TraceId, append.TraceId);
            Assert.Equal(caller.SpanId, append.ParentSpanId);
            Assert.Equal("postgresql", append.GetTagItem("db.system.name"));

            // The first operation migrated the runtime's tables, in the same trace.
            Assert.Contains(spans, s => s.OperationName == "grains.postgres.migrate" && s.TraceId == caller.TraceId);
        }
    }
}
