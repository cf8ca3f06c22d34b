using System.Reflection;
using Grains.Runtime.Activation;

namespace Grains.Runtime;

/// <summary>
/// The object behind every grain reference: a proxy implementing the grain interface whose calls go
/// to the runtime. Obtain references from <see cref="IGrainFactory"/>, never construct one.
/// </summary>
public class GrainReference : DispatchProxy
{
    private GrainRuntime? _runtime;

    /// <summary>The referenced grain.</summary>
    public GrainId GrainId { get; private set; }

    internal int Partition { get; private set; }

    /// <summary>The last activation this reference reached, tried first on the next call.</summary>
    internal ActivationData? CachedActivation { get; set; }

    /// <inheritdoc />
    public override string ToString() => GrainId.ToString();

    internal void Bind(GrainRuntime runtime, GrainId grainId, int partition)
    {
        _runtime = runtime;
        GrainId = grainId;
        Partition = partition;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        _runtime!.Invoke(this, Invocation.MethodDispatcher.For(targetMethod!), args ?? []);
}
