using Orleans.Runtime;

namespace Grains.Monitoring.Events;

/// <summary>
/// The Orleans stream that carries accepted events from the ingest edge to their issue grains: the
/// durable-log stream provider <see cref="ProviderName"/>, one stream per issue grain in the
/// namespace <see cref="Namespace"/>, keyed by the issue grain's key.
/// </summary>
public static class IngestStream
{
    /// <summary>The stream provider's name (its options, log and dead-letter store are keyed by it).</summary>
    public const string ProviderName = "ingest";

    /// <summary>The stream namespace issue grains subscribe to implicitly.</summary>
    public const string Namespace = "events";

    /// <summary>The stream of the issue grain <paramref name="issueGrainKey"/>.</summary>
    public static StreamId For(string issueGrainKey) => StreamId.Create(Namespace, issueGrainKey);
}
