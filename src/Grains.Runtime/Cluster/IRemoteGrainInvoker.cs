using System.Reflection;

namespace Grains.Runtime.Cluster;

/// <summary>
/// Sends one grain call to the silo that owns the grain's partition (the silo-to-silo transport).
/// The runtime routes, refreshes its view of the owners and retries; the transport makes one attempt.
/// </summary>
public interface IRemoteGrainInvoker
{
    /// <summary>Calls <paramref name="method"/> on <paramref name="grainId"/> at <paramref name="owner"/>; the result is boxed (<c>null</c> for <c>Task</c>/<c>ValueTask</c>).</summary>
    /// <exception cref="PartitionMovedException">The silo answered that it does not own the partition: the call did not run.</exception>
    /// <exception cref="SiloUnavailableException">The silo could not be reached: the call was not delivered.</exception>
    Task<object?> InvokeAsync(PartitionOwner owner, GrainId grainId, int partition, MethodInfo method, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default);
}
