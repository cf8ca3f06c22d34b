using Azure.Identity;
using Grains.Monitoring.Events;
using Grains.Server.Storage.Azure;
using Orleans.Configuration;
using Orleans.Streams;

namespace Grains.Server.Streams;

/// <summary>The ingest stream on an Azure event hub (<c>Grains:Streams:Provider=eventhubs</c>).</summary>
public static class EventHubsIngestRegistration
{
    /// <summary>
    /// Registers Orleans' Event Hubs stream provider as <see cref="IngestStream.ProviderName"/>: implicit
    /// subscriptions only (no pub-sub store), checkpoints in the Azure table
    /// <see cref="AzureTablesOptions.StreamCheckpointTable"/>, and a first start without checkpoints
    /// reading each partition from its beginning (Orleans' default starts "from now", which would skip
    /// events the edge acknowledged before the silo's receivers were up). Delivery is deferred like the
    /// log's and started by the host (<see cref="Silo.StreamDeliveryStarter"/>).
    /// </summary>
    public static ISiloBuilder AddGrainsEventHubStreams(this ISiloBuilder silo, EventHubsIngestOptions hub, AzureTablesOptions tables)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(tables);
        var checkpoints = AzureTablesRegistration.CreateClient(tables);
        silo.AddEventHubStreams(IngestStream.ProviderName, stream =>
        {
            stream.ConfigureEventHub(builder => builder.Configure(options =>
            {
                if (string.IsNullOrWhiteSpace(hub.ConnectionString))
                {
                    options.ConfigureEventHubConnection(hub.FullyQualifiedNamespace!, hub.Hub!, hub.ConsumerGroup, new DefaultAzureCredential());
                }
                else
                {
                    options.ConfigureEventHubConnection(hub.ConnectionString, hub.Hub!, hub.ConsumerGroup);
                }
            }));
            stream.UseAzureTableCheckpointer(builder => builder.Configure(options =>
            {
                options.TableServiceClient = checkpoints;
                options.TableName = tables.StreamCheckpointTable;
            }));
            stream.ConfigurePartitionReceiver(builder => builder.Configure(options => options.StartFromNow = false));
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.Configure<StreamLifecycleOptions>(builder => builder.Configure(options => options.StartupState = StreamLifecycleOptions.RunState.AgentsStopped));
        });
        return silo;
    }
}
