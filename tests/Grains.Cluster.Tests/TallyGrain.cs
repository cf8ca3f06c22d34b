using System.Buffers.Binary;
using Grains.Runtime;
using Grains.Runtime.Persistence;
using Grains.Runtime.Streams;

namespace Grains.Cluster.Tests;

public sealed class TallyState : IStreamCursorState
{
    public long LastAppliedOffset { get; set; }

    /// <summary>The sequence numbers applied (exactly once each when nothing is lost or doubled).</summary>
    public List<int> Applied { get; set; } = [];
}

public interface ITallyGrain : IGrainWithStringKey
{
    Task<List<int>> AppliedAsync();
}

/// <summary>Consumes stream "tally": each item is a 4-byte sequence number; effects applied once per offset.</summary>
[ImplicitStreamSubscription("tally")]
public sealed class TallyGrain([PersistentState("tally")] IPersistentState<TallyState> state) : Grain, ITallyGrain, IStreamSubscriber
{
    public Task OnNextBatchAsync(StreamBatch batch) =>
        batch.ApplyOnceAsync(state, static (s, item) => s.Applied.Add(BinaryPrimitives.ReadInt32LittleEndian(item.Payload.Span)));

    public Task<List<int>> AppliedAsync() => Task.FromResult(state.State.Applied);

    public static StreamMessage Message(string key, int sequence)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, sequence);
        return new StreamMessage(new StreamId("tally", key), bytes);
    }
}
