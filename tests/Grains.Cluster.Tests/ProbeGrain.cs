using Grains.Runtime;
using Grains.Runtime.Cluster;
using Grains.Runtime.Persistence;

namespace Grains.Cluster.Tests;

public sealed class ProbeState
{
    public int Count { get; set; }
}

/// <summary>Where a call ran: the activation (unique per activation) and the silo.</summary>
public sealed record ProbeInfo(Guid Activation, string Silo, int Count);

public interface IProbeGrain : IGrainWithStringKey
{
    Task<ProbeInfo> WhereAsync();

    Task<ProbeInfo> IncrementAsync(int by);

    Task FailAsync(string message);
}

public sealed class ProbeGrain([PersistentState("probe")] IPersistentState<ProbeState> state, ClusterOptions cluster) : Grain, IProbeGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    public Task<ProbeInfo> WhereAsync() => Task.FromResult(new ProbeInfo(_activation, cluster.AdvertisedAddress, state.State.Count));

    public async Task<ProbeInfo> IncrementAsync(int by)
    {
        state.State.Count += by;
        await state.WriteStateAsync();
        return new ProbeInfo(_activation, cluster.AdvertisedAddress, state.State.Count);
    }

    public Task FailAsync(string message) => throw new ArgumentException(message);
}
