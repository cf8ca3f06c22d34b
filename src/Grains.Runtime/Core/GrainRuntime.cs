using System.Reflection;
using Grains.Runtime.Activation;
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
    private volatile bool _stopped;

    public GrainRuntime(GrainsOptions options, GrainTypeRegistry registry, IPartitionDirectory directory, IServiceProvider services, System.Text.Json.JsonSerializerOptions json, ILogger<GrainRuntime> logger)
    {
        Options = options;
        Registry = registry;
        Directory = directory;
        Logger = logger;
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

    /// <summary>Routes a call from a reference: inline when the activation is free, otherwise queued.</summary>
    public object Invoke(GrainReference reference, MethodDispatcher dispatcher, object?[] args)
    {
        RuntimeInstruments.Calls.Add(1);
        if (_stopped)
        {
            return dispatcher.FromException(new ObjectDisposedException("silo", $"The silo is stopped; the call to {reference.GrainId} {dispatcher.Name} was not made."));
        }

        if (!Directory.IsLocal(reference.Partition))
        {
            return dispatcher.FromException(new PartitionNotOwnedException(reference.GrainId, reference.Partition));
        }

        var caller = CallChain.Current;
        var timeout = CallChain.TimeoutFor(caller, Options.ResponseTimeout);
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        ActivationData activation;
        try
        {
            activation = reference.CachedActivation is { IsValid: true } cached ? cached : Catalog.GetOrCreate(reference.GrainId);
        }
        catch (InvalidOperationException exception)
        {
            return dispatcher.FromException(exception);
        }

        reference.CachedActivation = activation;
        var inline = activation.TryInvokeInline(dispatcher, args, caller, timeout, deadline);
        if (inline is not null)
        {
            return inline;
        }

        var response = dispatcher.CreateResponse();
        var request = new Request(dispatcher, args, caller, deadline, response, dispatcher.TurnKindFor(activation.ClassInfo.Reentrant));
        reference.CachedActivation = Dispatch(reference.GrainId, request, activation);
        return response.ToCallerResult(timeout, () => CallChain.Describe(caller, reference.GrainId, dispatcher.Name));
    }

    /// <summary>Queues a request on the grain's current activation, following it through deactivations.</summary>
    public ActivationData Dispatch(GrainId target, Request request, ActivationData? activation = null)
    {
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

            activation = Catalog.GetOrCreate(target);
        }

        return activation;
    }

    private TGrain Reference<TGrain>(string key) where TGrain : IGrain
    {
        var info = _classByInterface.GetOrAdd(typeof(TGrain), static (type, registry) => registry.GetClass(type), Registry);
        return GetGrain<TGrain>(new GrainId(info.TypeName, key));
    }
}
