namespace Grains.Postgres.TestSilo.TestGrains;

/// <summary>Tells which activation answered, to check there is one per key across the cluster.</summary>
[Alias("Grains.Postgres.Tests.IActivationProbeGrain")]
public interface IActivationProbeGrain : IGrainWithStringKey
{
    [Alias("Identify")]
    Task<ActivationIdentity> IdentifyAsync();
}
