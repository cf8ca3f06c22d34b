namespace Grains.Server.Streams;

/// <summary>What carries accepted events from the ingest edge to the issue grains (configuration section <c>Grains:Streams</c>).</summary>
public sealed class GrainsStreamsOptions
{
    /// <summary>Grains' own durable log, in the relational database (SQLite or PostgreSQL).</summary>
    public const string Log = "log";

    /// <summary>An Azure event hub through Orleans' Event Hubs stream provider (<see cref="EventHubsIngestOptions"/>).</summary>
    public const string EventHubs = "eventhubs";

    /// <summary><see cref="Log"/> (default) or <see cref="EventHubs"/>, case-insensitive (<c>Grains__Streams__Provider=eventhubs</c>).</summary>
    public string Provider { get; set; } = Log;

    /// <summary>The configured provider, normalized.</summary>
    /// <exception cref="InvalidOperationException">The provider is neither <c>log</c> nor <c>eventhubs</c>.</exception>
    public string Normalized()
    {
        var provider = Provider?.Trim() ?? "";
        if (provider.Length == 0 || provider.Equals(Log, StringComparison.OrdinalIgnoreCase))
        {
            return Log;
        }

        if (provider.Equals(EventHubs, StringComparison.OrdinalIgnoreCase))
        {
            return EventHubs;
        }

        throw new InvalidOperationException($"Unknown Grains:Streams:Provider '{provider}' (expected '{Log}' or '{EventHubs}').");
    }
}
