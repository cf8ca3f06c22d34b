using System.Buffers.Binary;
using Grains.Runtime.Hosting;
using Grains.Runtime.Persistence;
using Grains.Runtime.Postgres;
using Grains.Runtime.Reminders;
using Grains.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Providers.Tests.Postgres;

public sealed class PostgresSumState : IStreamCursorState
{
    public long LastAppliedOffset { get; set; }

    public int Count { get; set; }

    public long Sum { get; set; }
}

public interface IPostgresSumGrain : IGrainWithStringKey
{
    Task<PostgresSumState> GetState();
}

/// <summary>Sums the 4-byte integers published on its key of stream namespace "pg-sum", each applied once.</summary>
[ImplicitStreamSubscription("pg-sum")]
public sealed class PostgresSumGrain([PersistentState("sum")] IPersistentState<PostgresSumState> state) : Grain, IPostgresSumGrain, IStreamSubscriber
{
    public Task OnNextBatchAsync(StreamBatch batch) =>
        batch.ApplyOnceAsync(state, static (s, item) =>
        {
            s.Count++;
            s.Sum += BinaryPrimitives.ReadInt32LittleEndian(item.Payload.Span);
        });

    public Task<PostgresSumState> GetState() => Task.FromResult(state.State);

    public static byte[] Payload(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }
}

/// <summary>A silo over the PostgreSQL providers: state, stream delivery and checkpoints end to end.</summary>
public sealed class PostgresSiloTests : IAsyncLifetime
{
    private PostgresTestStore _store = null!;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public Task DisposeAsync() => _store.DisposeAsync().AsTask();

    [Fact]
    public async Task Stream_items_are_applied_once_into_persistent_state_and_survive_a_restart()
    {
        var keys = Enumerable.Range(0, 10).Select(i => $"sum-{i}-{Guid.NewGuid():N}").ToArray();
        const int perKey = 30;

        var first = await StartAsync();
        await first.Services.GetRequiredService<IStreamProducer>().AppendAsync(
            [.. keys.SelectMany(key => Enumerable.Range(1, perKey).Select(i => new StreamMessage(new StreamId("pg-sum", key), PostgresSumGrain.Payload(i))))]);
        await WaitUntilAsync(async () =>
        {
            foreach (var key in keys)
            {
                if ((await first.GrainFactory.GetGrain<IPostgresSumGrain>(key).GetState()).Count < perKey)
                {
                    return false;
                }
            }

            return true;
        });
        await first.StopAsync();
        await first.DisposeAsync();

        await using var second = await StartAsync();
        foreach (var key in keys)
        {
            var state = await second.GrainFactory.GetGrain<IPostgresSumGrain>(key).GetState();
            Assert.Equal(perKey, state.Count);
            Assert.Equal(perKey * (perKey + 1) / 2, state.Sum);
        }

        // The graceful stop checkpointed every partition it delivered (and trimmed what it delivered).
        Assert.Equal(0, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_stream"));
        Assert.True(await _store.ScalarAsync("SELECT COALESCE(SUM(checkpoint_offset), 0) FROM grains_checkpoints") >= keys.Length * perKey / 4);
    }

    [Fact]
    public async Task AddGrainsPostgres_registers_the_providers_over_one_database_and_migrates_at_host_start()
    {
        var services = new ServiceCollection()
            .AddGrainsPostgres(options => options.ConnectionString = _store.ConnectionString)
            .BuildServiceProvider();
        var database = services.GetRequiredService<PostgresDatabase>();
        var storage = Assert.IsType<PostgresGrainStorage>(services.GetRequiredService<IGrainStorage>());
        Assert.IsType<PostgresStreamLog>(services.GetRequiredService<IStreamLog>());
        Assert.IsType<PostgresReminderTable>(services.GetRequiredService<IReminderTable>());
        Assert.Same(services.GetRequiredService<PostgresStreamLog>(), services.GetRequiredService<IStreamLog>());
        Assert.DoesNotContain(_store.ConnectionString, database.Endpoint, StringComparison.Ordinal);

        foreach (var hosted in services.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.Equal(PostgresSchema.Migrations.Count, await _store.ScalarAsync("SELECT COUNT(*) FROM grains_component_schema WHERE component = 'runtime'"));
        await storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("x"), null);

        await services.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("x"), null));
    }

    private Task<SiloHost> StartAsync() => SiloHost.StartAsync(
        builder => builder.AddGrainAssembly(typeof(PostgresSumGrain).Assembly).Configure(options => options.PartitionCount = 4),
        services => services.AddGrainsPostgres(options => options.ConnectionString = _store.ConnectionString));

    /// <summary>Polls until <paramref name="condition"/> holds; the deadline is generous (loaded CI machines), never a timing expectation.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for every stream item to be applied.");
            await Task.Delay(20);
        }
    }
}
