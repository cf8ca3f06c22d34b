using System.Reflection;
using Grains.Runtime.Invocation;

namespace Grains.Runtime.Cluster;

/// <summary>The receiving end of silo-to-silo calls: runs a call on this silo if it owns the grain's partition.</summary>
internal sealed class LocalGrainCalls(GrainRuntime runtime)
{
    /// <summary>The partition of a grain.</summary>
    public int PartitionOf(GrainId grainId) => runtime.PartitionOf(grainId);

    /// <summary>Whether the silo takes calls.</summary>
    public bool IsRunning => !runtime.IsStopped;

    /// <summary>
    /// Runs the call here and returns its boxed result; null when this silo does not own the
    /// grain's partition (the caller answers "moved").
    /// </summary>
    public Task<object?>? TryInvoke(GrainId grainId, MethodInfo method, object?[] args, TimeSpan timeout)
    {
        if (!runtime.Directory.IsLocal(runtime.PartitionOf(grainId)))
        {
            return null;
        }

        var dispatcher = MethodDispatcher.For(method);
        return dispatcher.ToObjectTask(runtime.InvokeLocal(grainId, dispatcher, args, caller: null, timeout));
    }
}
