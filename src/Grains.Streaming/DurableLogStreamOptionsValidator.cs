using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>
/// Checks a durable-log stream provider at silo start: positive sizes and periods, a log registered
/// under the provider's name, and Orleans' pulling agent delivering one container per call.
/// </summary>
public sealed class DurableLogStreamOptionsValidator : IConfigurationValidator
{
    private readonly IServiceProvider _services;
    private readonly string _name;

    /// <summary>Creates the validator of the provider <paramref name="name"/>.</summary>
    public DurableLogStreamOptionsValidator(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        _services = services;
        _name = name;
    }

    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        var options = _services.GetOptionsByName<DurableLogStreamOptions>(_name);
        Require(options.QueueCount > 0, $"{nameof(options.QueueCount)} must be positive");
        Require(options.ReadBatchSize > 0, $"{nameof(options.ReadBatchSize)} must be positive");
        Require(options.PullingPeriod > TimeSpan.Zero, $"{nameof(options.PullingPeriod)} must be positive");
        Require(options.CheckpointInterval >= TimeSpan.Zero, $"{nameof(options.CheckpointInterval)} must not be negative");
        Require(options.IdleReadInterval > TimeSpan.Zero, $"{nameof(options.IdleReadInterval)} must be positive");
        Require(options.MaxDeliveryRetryTime > TimeSpan.Zero, $"{nameof(options.MaxDeliveryRetryTime)} must be positive");
        Require(options.StreamInactivityPeriod > TimeSpan.Zero, $"{nameof(options.StreamInactivityPeriod)} must be positive");
        Require(_services.GetKeyedService<IDurableLog>(_name) is not null, $"no {nameof(IDurableLog)} is registered for it (call UseLog)");

        // With more than one container per call Orleans reports only the first container's token when
        // a delivery fails, and marks them all failed: the others could never be accounted for, so the
        // checkpoint would stall for good (measured). Grouping happens in the receiver instead.
        var agent = _services.GetOptionsByName<StreamPullingAgentOptions>(_name);
        Require(agent.BatchContainerBatchSize == 1, $"{nameof(StreamPullingAgentOptions)}.{nameof(agent.BatchContainerBatchSize)} must be 1");
    }

    private void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new OrleansConfigurationException($"Invalid durable-log stream provider '{_name}': {problem}.");
        }
    }
}
