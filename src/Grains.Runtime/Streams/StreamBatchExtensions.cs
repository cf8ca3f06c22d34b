using Grains.Runtime.Persistence;

namespace Grains.Runtime.Streams;

/// <summary>The exactly-once helper for stream subscribers.</summary>
public static class StreamBatchExtensions
{
    /// <summary>
    /// Applies the items of <paramref name="batch"/> that the state has not applied yet, records the
    /// last offset, and writes the state once (effects and offset in one durable write). Returns the
    /// number of items applied; redelivered items are skipped.
    /// </summary>
    /// <remarks>
    /// Valid because all items for one grain come from one partition, whose offsets increase.
    /// </remarks>
    public static async Task<int> ApplyOnceAsync<TState>(this StreamBatch batch, IPersistentState<TState> state, Action<TState, StreamItem> apply, CancellationToken cancellationToken = default)
        where TState : IStreamCursorState
    {
        var applied = 0;
        foreach (var item in batch.Items)
        {
            if (item.Offset <= state.State.LastAppliedOffset)
            {
                continue;
            }

            apply(state.State, item);
            state.State.LastAppliedOffset = item.Offset;
            applied++;
        }

        if (applied > 0)
        {
            await state.WriteStateAsync(cancellationToken);
        }

        return applied;
    }
}
