namespace Grains.Runtime.Postgres.Cluster;

/// <summary>
/// The first key of the two-integer session advisory locks of a cluster ("GR" + a space number).
/// PostgreSQL releases them when the session ends, which is what makes a dead silo's partitions
/// free at once. In <c>pg_locks</c> they appear with <c>classid</c> = space, <c>objid</c> = id,
/// <c>objsubid</c> = 2.
/// </summary>
internal static class LockSpace
{
    /// <summary>Held by every live silo on its membership session, keyed by its silo id.</summary>
    public const int Silo = 0x4752_0001;

    /// <summary>Held by the owner of a partition, keyed by the partition number.</summary>
    public const int Partition = 0x4752_0002;
}
