using System.Reflection;
using Grains.Runtime.Activation;
using Grains.Runtime.Cluster;
using Grains.Runtime.Configuration;
using Grains.Runtime.Diagnostics;
using Grains.Runtime.Invocation;
using Grains.Runtime.Partitioning;
using Grains.Runtime.Reminders;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime;

/// <summary>
/// The silo's runtime: grain references, call routing (partition → owner → activation), the
/// catalog and the reminder service. It is the <see cref="IGrainFactory"/> of the silo.
/// </summary>
internal sealed class GrainRuntime : IGrainFactory
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, GrainClassInfo> _classByInterface = new();
    private readonly IServiceProvider _services;
    private RemoteCallRouter? _router;
    private bool _routerResolved;
    private volatile bool _stopped;

    public GrainRuntime(GrainsOptions options, GrainTypeRegistry registry, IPartitionDirectory directory, IServiceProvider services, System.Text.Json.JsonSerializerOptions json, ILogger<GrainRuntime> logger)
    {
        Options = options;
        Registry = registry;
        Directory = directory;
        Logger = logger;
        _services = services;
        Catalog = new Catalog(this);
        Activator = new GrainActivator(services, json);
        Reminders = null!;
    }

    public GrainsOptions Options { get; }

    public GrainTypeRegistry Registry { get; }

    public IPartitionDirectory Directory { get; }

    public ILogger Logger { get; }

    public Catalog Catalog { get; }

    public GrainActivator Activator { get; }

    public ReminderService Reminders { get; set; }

    /// <summary>Called (by the silo) when the catalog grows beyond <see cref="GrainsOptions.MaxActivations"/>.</summary>
    public Action? ActivationLimitExceeded { get; set; }

    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey => Reference<TGrain>(key);

    public TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey => Reference<TGrain>(GrainKeys.FromGuid(key));

    public TGrain GetGrain<TGrain>(long key) where TGrain : IGrainWithIntegerKey => Reference<TGrain>(GrainKeys.FromInteger(key));

    public TGrain GetGrain<TGrain>(GrainId grainId) where TGrain : IGrain
    {
        var proxy = DispatchProxy.Create<TGrain, GrainReference>();
        ((GrainReference)(object)proxy).Bind(this, grainId, PartitionOf(grainId));
        return proxy;
    }

    public int PartitionOf(GrainId id) => StableHash.Partition(id, Directory.PartitionCount);

    public void OnActivationLimitExceeded() => ActivationLimitExceeded?.Invoke();

    /// <summary>Stops accepting calls (after a graceful shutdown or an abort).</summary>
    public void Stop() => _stopped = true;

    /// <summary>Whether the runtime no longer takes calls.</summary>
    public bool IsStopped => _stopped;

    /// <summary>The router of calls for partitions owned by other silos; null outside a cluster.</summary>
    public RemoteCallRouter? Router
    {
        get
        {
            if (!Volatile.Read(ref _routerResolved))
            {
                var remote = _services.GetService(typeof(IRemoteGrainInvoker)) as IRemoteGrainInvoker;
                _router = remote is not null && Directory is ClusterPartitionDirectory cluster ? new RemoteCallRouter(this, cluster, remote) : null;
                Volatile.Write(ref _routerResolved, true);
            }

            return _router;
        }
    }

    /// <summary>Routes a call from a reference: inline when the activation is free, otherwise queued; to the owner silo when the partition is not local.</summary>
    public object Invoke(GrainReference reference, MethodDispatcher dispatcher, object?[] args)
    {
        RuntimeInstruments.Calls.Add(1);
        if (_stopped)
        {
            return dispatcher.FromException(Stopped(reference.GrainId, dispatcher));
        }

        var caller = CallChain.Current;
        var timeout = CallChain.TimeoutFor(caller, Options.ResponseTimeout);
        if (!Directory.IsLocal(reference.Partition))
        {
            return Router is { } router
                ? dispatcher.FromObjectTask(router.RouteAsync(reference.GrainId, reference.Partition, dispatcher, args, timeout))
                : dispatcher.FromException(new PartitionNotOwnedException(reference.GrainId, reference.Partition));
        }

        return InvokeLocal(reference.GrainId, dispatcher, args, caller, timeout, reference);
    }

    /// <summary>Runs a call on this silo's activation of the grain (the caller checked that its partition is local).</summary>
    public object InvokeLocal(GrainId grainId, MethodDispatcher dispatcher, object?[] args, CallChain? caller, TimeSpan timeout, GrainReference? reference = null)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        ActivationData activation;
        try
        {
            activation = reference?.CachedActivation is { IsValid: true } cached ? cached : Catalog.GetOrCreate(grainId);
        }
        catch (InvalidOperationException exception)
        {
            return dispatcher.FromException(exception);
        }

        if (reference is not null)
        {
            reference.CachedActivation = activation;
        }

        var inline = activation.TryInvokeInline(dispatcher, args, caller, timeout, deadline);
        if (inline is not null)
        {
            return inline;
        }

        var response = dispatcher.CreateResponse();
        var request = new Request(dispatcher, args, caller, deadline, response, dispatcher.TurnKindFor(activation.ClassInfo.Reentrant));
        var reached = Dispatch(grainId, request, activation);
        if (reference is not null)
        {
            reference.CachedActivation = reached;
        }

        return response.ToCallerResult(timeout, () => CallChain.Describe(caller, grainId, dispatcher.Name));
    }

    /// <summary>Queues a request on the grain's current activation, following it through deactivations.</summary>
    public ActivationData? Dispatch(GrainId target, Request request, ActivationData? activation = null)
    {
        if (activation is null && !Directory.IsLocal(PartitionOf(target)))
        {
            // The partition moved while the call waited in a deactivated activation: it follows the grain.
            ForwardToOwner(target, request);
            return null;
        }

        activation ??= Catalog.GetOrCreate(target);
        while (!activation.Enqueue(request))
        {
            if (activation.ActivationFailure is { } failure)
            {
                // The call was routed to an activation that failed to start: it gets that failure; the next call tries again.
                request.Fail(failure);
                return activation;
            }

            if (_stopped)
            {
                request.Fail(new ObjectDisposedException("silo", $"The silo stopped before grain {target} could take the call."));
                return activation;
            }

            if (!Directory.IsLocal(PartitionOf(target)))
            {
                ForwardToOwner(target, request);
                return null;
            }

            activation = Catalog.GetOrCreate(target);
        }

        return activation;
    }

    private void ForwardToOwner(GrainId target, Request request)
    {
        if (Router is not { } router)
        {
            request.Fail(new PartitionNotOwnedException(target, PartitionOf(target)));
            return;
        }

        var remaining = TimeSpan.FromMilliseconds(Math.Max(1, request.Deadline - Environment.TickCount64));
        var routed = router.RouteAsync(target, PartitionOf(target), request.Dispatcher, request.Arguments, remaining);
        routed.ContinueWith(
            static (task, state) =>
            {
                var forwarded = (Request)state!;
                forwarded.Response.Complete(forwarded.Dispatcher.ToTask(forwarded.Dispatcher.FromObjectTask(task)));
            },
            request,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static ObjectDisposedException Stopped(GrainId grainId, MethodDispatcher dispatcher) =>
        new("silo", $"The silo is stopped; the call to {grainId} {dispatcher.Name} was not made.");

    private TGrain Reference<TGrain>(string key) where TGrain : IGrain
    {
        var info = _classByInterface.GetOrAdd(typeof(TGrain), static (type, registry) => registry.GetClass(type), Registry);
        return GetGrain<TGrain>(new GrainId(info.TypeName, key));
    }
}
