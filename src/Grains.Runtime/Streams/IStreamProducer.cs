namespace Grains.Runtime.Streams;

/// <summary>Publishes items to persistent streams.</summary>
public interface IStreamProducer
{
    /// <summary>
    /// Appends the items; completes only when they are durable. Concurrent appends share one
    /// transaction (group commit), so many small appends cost about as much as one large one.
    /// </summary>
    Task AppendAsync(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken = default);
}
