using System.Buffers.Binary;
using System.Collections.Concurrent;
using Grains.Runtime.Persistence;
using Grains.Runtime.Streams;

namespace Grains.Runtime.Tests.Grains;

public sealed class SequenceState : IStreamCursorState
{
    public long LastAppliedOffset { get; set; }

    /// <summary>Effects applied: how many items, and the last sequence number seen.</summary>
    public int Applied { get; set; }

    public int LastSequence { get; set; } = -1;

    public int OrderViolations { get; set; }
}

public interface ISequenceGrain : IGrainWithStringKey
{
    Task<SequenceState> GetState();
}

/// <summary>
/// Consumes stream "seq": each item is a 4-byte sequence number per key. Effects are applied once
/// with the offset helper; every delivery (including redeliveries) is recorded.
/// </summary>
[ImplicitStreamSubscription("seq")]
public sealed class SequenceGrain([PersistentState("seq")] IPersistentState<SequenceState> state) : Grain, ISequenceGrain, IStreamSubscriber
{
    public static readonly ConcurrentDictionary<string, ConcurrentBag<int>> Delivered = new();

    /// <summary>Optional per-item work, to make a grain slow.</summary>
    public static readonly ConcurrentDictionary<string, TimeSpan> Slowness = new();

    /// <summary>Optional per-key counter of deliveries in progress (several keys may share one).</summary>
    public static readonly ConcurrentDictionary<string, ConcurrencyProbe> Probes = new();

    public static int DeliveredCount;

    public async Task OnNextBatchAsync(StreamBatch batch)
    {
        var probe = Probes.GetValueOrDefault(GetPrimaryKeyString());
        probe?.Enter();
        try
        {
            await DeliverAsync(batch);
        }
        finally
        {
            probe?.Exit();
        }
    }

    private async Task DeliverAsync(StreamBatch batch)
    {
        var bag = Delivered.GetOrAdd(GetPrimaryKeyString(), _ => []);
        foreach (var item in batch.Items)
        {
            bag.Add(Sequence(item));
        }

        Interlocked.Add(ref DeliveredCount, batch.Items.Count);
        if (Slowness.TryGetValue(GetPrimaryKeyString(), out var slow))
        {
            await Task.Delay(slow * batch.Items.Count);
        }

        await batch.ApplyOnceAsync(state, static (s, item) =>
        {
            var sequence = Sequence(item);
            if (sequence != s.LastSequence + 1)
            {
                s.OrderViolations++;
            }

            s.LastSequence = sequence;
            s.Applied++;
        });
    }

    public Task<SequenceState> GetState() => Task.FromResult(state.State);

    public static byte[] Payload(int sequence)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, sequence);
        return bytes;
    }

    private static int Sequence(StreamItem item) => BinaryPrimitives.ReadInt32LittleEndian(item.Payload.Span);
}

/// <summary>Counts deliveries in progress and their peak.</summary>
public sealed class ConcurrencyProbe
{
    private int _current;
    private int _peak;

    public int Peak => Volatile.Read(ref _peak);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}
