namespace Grains.Server.Streams;

/// <summary>
/// The event hub of the ingest stream when <c>Grains:Streams:Provider=eventhubs</c> (section
/// <c>Grains:Streams:EventHubs</c>, connection string <c>ConnectionStrings:eventhubs</c>). Its
/// checkpoints go to the Azure Table account of <see cref="Storage.Azure.AzureTablesOptions"/>.
/// </summary>
public sealed class EventHubsIngestOptions
{
    /// <summary>The configuration section of everything but the connection string.</summary>
    public const string Section = "Grains:Streams:EventHubs";

    /// <summary>The name of the connection string (<c>ConnectionStrings:eventhubs</c>, <c>ConnectionStrings__eventhubs</c>).</summary>
    public const string ConnectionStringName = "eventhubs";

    /// <summary>Default <see cref="ConsumerGroup"/>: the hub's built-in <c>$Default</c>.</summary>
    public const string DefaultConsumerGroup = "$Default";

    /// <summary>
    /// The namespace's connection string (<c>Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=...</c>),
    /// from <c>ConnectionStrings:eventhubs</c>; never logged. Either this or <see cref="FullyQualifiedNamespace"/> is required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The namespace's host name (<c>NAMESPACE.servicebus.windows.net</c>), used with <c>DefaultAzureCredential</c>
    /// when no connection string is set.
    /// </summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The event hub's name (required). Its partition count is fixed when the hub is created; each partition is one queue of the stream.</summary>
    public string? Hub { get; set; }

    /// <summary>The consumer group the silos read with: one per Grains deployment reading the hub. Default <see cref="DefaultConsumerGroup"/>.</summary>
    public string ConsumerGroup { get; set; } = DefaultConsumerGroup;

    /// <summary>Reads the options from <paramref name="configuration"/> (section and connection string).</summary>
    public static EventHubsIngestOptions Read(IConfiguration configuration) =>
        ServiceSettings.Read<EventHubsIngestOptions>(configuration, Section, ConnectionStringName, (options, connectionString) => options.ConnectionString = connectionString);
}
