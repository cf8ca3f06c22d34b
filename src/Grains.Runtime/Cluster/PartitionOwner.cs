namespace Grains.Runtime.Cluster;

/// <summary>The silo that owns a partition, as the ownership table says.</summary>
/// <param name="SiloId">The owner's membership id (address + generation).</param>
/// <param name="Address">Where the owner takes silo-to-silo calls (<c>host:port</c>).</param>
/// <param name="Epoch">Increases on every change of owner.</param>
public sealed record PartitionOwner(long SiloId, string Address, long Epoch);
