using System.Diagnostics;
using Grains.Runtime.Diagnostics;
using Grains.Runtime.Invocation;

namespace Grains.Runtime.Cluster;

/// <summary>
/// Carries a call to the silo that owns its partition. It asks the directory for the owner, sends
/// the call, and when the owner answers "moved", cannot be reached, or is not known yet (a
/// take-over in progress), it asks for a refresh and tries again until the call's deadline. Only
/// outcomes where the call certainly did not run are retried, so a call runs at most once.
/// </summary>
internal sealed class RemoteCallRouter
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(500);
    private readonly GrainRuntime _runtime;
    private readonly ClusterPartitionDirectory _directory;
    private readonly IRemoteGrainInvoker _remote;

    internal RemoteCallRouter(GrainRuntime runtime, ClusterPartitionDirectory directory, IRemoteGrainInvoker remote)
    {
        _runtime = runtime;
        _directory = directory;
        _remote = remote;
    }

    /// <summary>Runs the call where the grain's partition is owned; the result is boxed.</summary>
    internal async Task<object?> RouteAsync(GrainId grainId, int partition, MethodDispatcher dispatcher, object?[] args, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = TimeSpan.FromMilliseconds(20);
        var attempts = 0;
        Exception? lastFailure = null;
        while (true)
        {
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new GrainCallTimeoutException(
                    $"Call to {grainId} {dispatcher.Name} (partition {partition}, {attempts} attempts{(lastFailure is null ? "" : ", last: " + lastFailure.Message)})", timeout);
            }

            if (_runtime.IsStopped)
            {
                throw new ObjectDisposedException("silo", $"The silo is stopped; the call to {grainId} {dispatcher.Name} was not made.");
            }

            if (_directory.IsLocal(partition))
            {
                // The partition arrived here while the call waited: run it on this silo.
                return await dispatcher.ToObjectTask(_runtime.InvokeLocal(grainId, dispatcher, args, caller: null, remaining)).ConfigureAwait(false);
            }

            var owner = _directory.OwnerOf(partition);
            if (owner is not null && owner.Address != _directory.LocalAddress)
            {
                attempts++;
                try
                {
                    RuntimeInstruments.RemoteCalls.Add(1);
                    return await _remote.InvokeAsync(owner, grainId, partition, dispatcher.Method, args, remaining).ConfigureAwait(false);
                }
                catch (PartitionMovedException moved)
                {
                    lastFailure = moved;
                }
                catch (SiloUnavailableException unavailable)
                {
                    lastFailure = unavailable;
                }

                RuntimeInstruments.RemoteCallRetries.Add(1);
            }

            _directory.RequestRefresh();
            var wait = backoff < remaining ? backoff : remaining;
            await _directory.WaitForChangeAsync(wait).ConfigureAwait(false);
            backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
        }
    }
}
