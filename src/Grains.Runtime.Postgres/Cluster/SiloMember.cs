namespace Grains.Runtime.Postgres.Cluster;

/// <summary>A row of <c>grains_silos</c> as the membership service sees it.</summary>
/// <param name="SiloId">The row id (one per process start).</param>
/// <param name="Address">Silo-to-silo address.</param>
/// <param name="Generation">Start time of the process (ms since the epoch); a restart is a new generation.</param>
/// <param name="Status"><c>active</c>, <c>leaving</c> (draining), <c>left</c> or <c>dead</c>.</param>
/// <param name="Alive">Whether its membership session still holds its lock and its heartbeat is fresh.</param>
internal sealed record SiloMember(long SiloId, string Address, long Generation, string Status, bool Alive)
{
    /// <summary>The name rendezvous hashing uses (unique per process).</summary>
    public string PlacementName => $"{Address}/{Generation}";
}
