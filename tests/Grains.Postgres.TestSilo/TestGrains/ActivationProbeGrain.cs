using Orleans.Placement;

namespace Grains.Postgres.TestSilo.TestGrains;

/// <summary>
/// Placed on the silo of the first caller, so a test decides where it lives by which silo's grain
/// factory calls it first.
/// </summary>
[PreferLocalPlacement]
public sealed class ActivationProbeGrain(ILocalSiloDetails silo) : Grain, IActivationProbeGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    public Task<ActivationIdentity> IdentifyAsync() => Task.FromResult(new ActivationIdentity(_activation, silo.SiloAddress));
}
