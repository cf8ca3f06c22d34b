using System.Collections.Concurrent;

namespace Grains.Runtime.Activation;

/// <summary>The activations of this silo, at most one per grain id.</summary>
internal sealed class Catalog(GrainRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();

    public int Count => _activations.Count;

    public IEnumerable<ActivationData> All => _activations.Values;

    /// <summary>The grain's activation, created (and started) when there is none.</summary>
    public ActivationData GetOrCreate(GrainId id)
    {
        if (_activations.TryGetValue(id, out var existing))
        {
            return existing;
        }

        var classInfo = runtime.Registry.GetClass(id.Type);
        var created = new ActivationData(id, classInfo, runtime);
        var winner = _activations.GetOrAdd(id, created);
        if (ReferenceEquals(winner, created))
        {
            created.Start();
            if (_activations.Count > runtime.Options.MaxActivations)
            {
                runtime.OnActivationLimitExceeded();
            }
        }

        return winner;
    }

    public bool TryGet(GrainId id, out ActivationData activation) => _activations.TryGetValue(id, out activation!);

    public void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.Id, activation));
}
