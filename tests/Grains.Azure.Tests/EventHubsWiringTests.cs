using System.Reflection;
using Grains.Monitoring.Events;
using Grains.Monitoring.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace Grains.Azure.Tests;

/// <summary>
/// <c>Grains:Streams:Provider=eventhubs</c> as far as it can be tested without an Event Hubs namespace
/// (there is no emulator here): the server is built, not started, and its services are inspected.
/// Nothing connects: the Event Hubs client only connects on its first call, which is reading the
/// hub's partition ids when the silo starts.
/// </summary>
public sealed class EventHubsWiringTests : IAsyncLifetime
{
    /// <summary>A well-formed connection string of a namespace that does not exist.</summary>
    public const string FakeNamespace = "Endpoint=sb://grains-test.servicebus.windows.net/;SharedAccessKeyName=send-listen;SharedAccessKey=bm90LWEtcmVhbC1rZXk=";

    private const string Storage = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=bm90LWEtcmVhbC1rZXk=;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    private readonly string _data = AzureServer.TempDirectory();
    private WebApplication _server = null!;

    public Task InitializeAsync()
    {
        _server = AzureServer.Build(_data, new Dictionary<string, string?>
        {
            ["Grains:Streams:Provider"] = "eventhubs",
            ["ConnectionStrings:eventhubs"] = FakeNamespace,
            ["Grains:Streams:EventHubs:Hub"] = "grains-ingest",
            ["Grains:Streams:EventHubs:ConsumerGroup"] = "grains",
            ["ConnectionStrings:azure-storage"] = Storage,
            ["Grains:Storage:Azure:StreamCheckpointTable"] = "IngestCheckpoints",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public void The_ingest_provider_is_the_Event_Hubs_adapter_and_the_edge_publishes_through_Orleans_streams()
    {
        Assert.IsType<EventHubAdapterFactory>(_server.Services.GetRequiredKeyedService<IQueueAdapterFactory>(IngestStream.ProviderName));
        Assert.IsType<OrleansStreamIngestProducer>(_server.Services.GetRequiredService<IIngestStreamProducer>());
    }

    [Fact]
    public void Orleans_accepts_the_configuration_implicit_subscriptions_checkpoints_and_a_first_read_from_the_start()
    {
        // The checks Orleans makes when the silo starts (Event Hubs connection, checkpointer, pub-sub store).
        foreach (var validator in _server.Services.GetServices<IConfigurationValidator>())
        {
            validator.ValidateConfiguration();
        }

        Assert.Equal(StreamPubSubType.ImplicitOnly, _server.Services.GetOptionsByName<StreamPubSubOptions>(IngestStream.ProviderName).PubSubType);
        Assert.False(_server.Services.GetOptionsByName<EventHubReceiverOptions>(IngestStream.ProviderName).StartFromNow);
        Assert.Equal(StreamLifecycleOptions.RunState.AgentsStopped, _server.Services.GetOptionsByName<StreamLifecycleOptions>(IngestStream.ProviderName).StartupState);
        var checkpoints = _server.Services.GetOptionsByName<AzureTableStreamCheckpointerOptions>(IngestStream.ProviderName);
        Assert.Equal("IngestCheckpoints", checkpoints.TableName);
        Assert.NotNull(checkpoints.TableServiceClient);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(32)]
    public void Every_partition_of_the_hub_is_a_queue_and_every_issue_stream_maps_to_one(int partitionCount)
    {
        var factory = (EventHubAdapterFactory)_server.Services.GetRequiredKeyedService<IQueueAdapterFactory>(IngestStream.ProviderName);

        // The factory builds its mapper from the hub's partition ids once it has read them from the hub;
        // its mapper factory (protected, set by Init) is applied here to a fixed list instead.
        var mapperFactory = (Func<string[], HashRingBasedPartitionedStreamQueueMapper>)typeof(EventHubAdapterFactory)
            .GetProperty("QueueMapperFactory", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(factory)!;
        var partitions = Enumerable.Range(0, partitionCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var mapper = mapperFactory(partitions);

        var queues = mapper.GetAllQueues().ToList();
        Assert.Equal(partitionCount, queues.Count);
        Assert.Equal(partitions.Order(), queues.Select(mapper.QueueToPartition).Order());
        for (var i = 0; i < 200; i++)
        {
            var stream = IngestStream.For($"1:{i:x32}");
            Assert.Contains(mapper.GetQueueForStream(stream), queues);
        }
    }
}
