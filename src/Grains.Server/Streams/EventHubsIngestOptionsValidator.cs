using Azure.Messaging.EventHubs;
using Microsoft.Extensions.Options;

namespace Grains.Server.Streams;

/// <summary>
/// Checks <see cref="EventHubsIngestOptions"/> before a silo is built, so a missing hub or connection
/// fails at start with the setting to set rather than inside Orleans' provider (whose own check only
/// says that "the connection" is not configured). Never quotes the connection string.
/// </summary>
public sealed class EventHubsIngestOptionsValidator : IValidateOptions<EventHubsIngestOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EventHubsIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace))
        {
            failures.Add(
                $"Grains:Streams:Provider is '{GrainsStreamsOptions.EventHubs}' but no Event Hubs namespace is set: set the connection string " +
                $"ConnectionStrings:{EventHubsIngestOptions.ConnectionStringName} (ConnectionStrings__{EventHubsIngestOptions.ConnectionStringName}=\"Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=...\"), " +
                $"or {EventHubsIngestOptions.Section}:FullyQualifiedNamespace (NAMESPACE.servicebus.windows.net, signed in with DefaultAzureCredential).");
        }
        else if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                if (EventHubsConnectionStringProperties.Parse(options.ConnectionString).Endpoint is null)
                {
                    failures.Add($"ConnectionStrings:{EventHubsIngestOptions.ConnectionStringName} is not an Event Hubs connection string (it has no Endpoint=sb://NAMESPACE.servicebus.windows.net/).");
                }
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException)
            {
                // The exception's message may quote the string, and with it the access key: name the setting only.
                failures.Add($"ConnectionStrings:{EventHubsIngestOptions.ConnectionStringName} is not an Event Hubs connection string ({exception.GetType().Name}).");
            }
        }
        else if (Uri.CheckHostName(options.FullyQualifiedNamespace) == UriHostNameType.Unknown)
        {
            failures.Add($"{EventHubsIngestOptions.Section}:FullyQualifiedNamespace must be a host name such as NAMESPACE.servicebus.windows.net (was '{options.FullyQualifiedNamespace}').");
        }

        if (string.IsNullOrWhiteSpace(options.Hub))
        {
            failures.Add($"Grains:Streams:Provider is '{GrainsStreamsOptions.EventHubs}' but {EventHubsIngestOptions.Section}:Hub (the event hub's name) is not set.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            failures.Add($"{EventHubsIngestOptions.Section}:ConsumerGroup must not be empty (default '{EventHubsIngestOptions.DefaultConsumerGroup}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
