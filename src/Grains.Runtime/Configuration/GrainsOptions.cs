namespace Grains.Runtime.Configuration;

/// <summary>Runtime settings. Plain properties with documented public defaults.</summary>
public sealed class GrainsOptions
{
    /// <summary>Default <see cref="PartitionCount"/>: 64.</summary>
    public const int DefaultPartitionCount = 64;

    /// <summary>Default <see cref="ResponseTimeout"/>: 30 s, as Orleans.</summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="CollectionAge"/>: 15 min, as Orleans.</summary>
    public static readonly TimeSpan DefaultCollectionAge = TimeSpan.FromMinutes(15);

    /// <summary>Default <see cref="CollectionQuantum"/>: 1 min, as Orleans.</summary>
    public static readonly TimeSpan DefaultCollectionQuantum = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Number of partitions of the key space (grain calls, stream items and reminders are routed by
    /// <c>stable hash(grain id) mod PartitionCount</c>). Fixed for the life of the data: changing it
    /// re-maps grains and strands stream items. Default 64.
    /// </summary>
    public int PartitionCount { get; set; } = DefaultPartitionCount;

    /// <summary>Deadline of a grain call that does not complete inline. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = DefaultResponseTimeout;

    /// <summary>Idle time after which an activation is collected. Default 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = DefaultCollectionAge;

    /// <summary>How often idle activations are looked for. Default 1 min.</summary>
    public TimeSpan CollectionQuantum { get; set; } = DefaultCollectionQuantum;

    /// <summary>
    /// Most activations a silo keeps. Above it, the least recently used idle activations are
    /// deactivated at once (down to 90 % of the limit) instead of waiting for <see cref="CollectionAge"/>,
    /// which bounds memory when many distinct grains are touched once. Default 20,000.
    /// </summary>
    public int MaxActivations { get; set; } = 20_000;

    /// <summary>Limit for loading state and <c>OnActivateAsync</c>. Default 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit for <c>OnDeactivateAsync</c>. Default 30 s.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Smallest reminder period accepted. Default 1 min, as Orleans (tests lower it).</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Stream delivery settings.</summary>
    public StreamOptions Streams { get; set; } = new();
}
