namespace Grains.Runtime.Cluster;

/// <summary>The body of a "moved" answer (HTTP 421): the silo does not own the partition.</summary>
/// <param name="Partition">The call's partition.</param>
/// <param name="Epoch">The ownership epoch the answering silo knows (0 when it never owned it).</param>
public sealed record MovedAnswer(int Partition, long Epoch);
