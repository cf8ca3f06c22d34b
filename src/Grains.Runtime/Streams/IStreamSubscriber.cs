namespace Grains.Runtime.Streams;

/// <summary>
/// A grain that receives stream items (see <see cref="ImplicitStreamSubscriptionAttribute"/>).
/// Delivery is at least once and in order per grain; make effects exactly once with
/// <see cref="StreamBatchExtensions.ApplyOnceAsync{TState}"/>.
/// </summary>
public interface IStreamSubscriber : IGrain
{
    /// <summary>Receives the next items of the grain's stream, in offset order. The partition's checkpoint advances only after this returns.</summary>
    Task OnNextBatchAsync(StreamBatch batch);
}
