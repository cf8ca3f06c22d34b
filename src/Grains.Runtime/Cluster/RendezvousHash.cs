namespace Grains.Runtime.Cluster;

/// <summary>
/// Highest-random-weight (rendezvous) hashing: each partition goes to the silo with the highest
/// weight for it. Adding or removing one of N silos moves only the partitions that silo wins or
/// held, about 1/N of them; everyone computes the same answer from the same set of silos.
/// </summary>
public static class RendezvousHash
{
    /// <summary>The silo (by its stable name) that should own <paramref name="partition"/>; null when there is none.</summary>
    public static string? Owner(int partition, IReadOnlyCollection<string> silos)
    {
        string? best = null;
        var bestWeight = 0UL;
        foreach (var silo in silos)
        {
            var weight = Weight(partition, silo);
            if (best is null || weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(silo, best) < 0))
            {
                best = silo;
                bestWeight = weight;
            }
        }

        return best;
    }

    /// <summary>The weight of (partition, silo): the pinned 64-bit FNV-1a of both, mixed so nearby inputs spread.</summary>
    public static ulong Weight(int partition, string silo)
    {
        var hash = StableHash.Fnv1a64(silo) ^ ((ulong)(uint)partition * 0x9E3779B97F4A7C15UL);
        // SplitMix64 finalizer: FNV alone leaves (partition, silo) pairs with similar text correlated.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        return hash ^ (hash >> 31);
    }
}
