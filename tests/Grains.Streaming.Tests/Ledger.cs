using Orleans.Streams;

namespace Grains.Streaming.Tests;

/// <summary>
/// What the test grains' durable state would be, kept outside the silos so that it survives a killed
/// cluster: per stream key, the last applied offset and every applied item, written atomically per
/// grain call (as a grain writes its state and offset in one write). It also records the calls.
/// </summary>
public sealed class Ledger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = [];

    /// <summary>Runs before a call applies anything; may throw (the call fails, nothing is applied) or wait.</summary>
    public Func<string, IList<SequentialItem<byte[]>>, Task>? Before { get; set; }

    public int Applied { get; private set; }

    public int Duplicates { get; private set; }

    public int Calls { get; private set; }

    public int Errors { get; private set; }

    public async Task ApplyAsync(string key, IList<SequentialItem<byte[]>> items)
    {
        lock (_lock)
        {
            Calls++;
        }

        if (Before is { } before)
        {
            await before(key, items);
        }

        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                _entries.Add(key, entry);
            }

            entry.CallSizes.Add(items.Count);
            foreach (var item in items)
            {
                var offset = item.Token.SequenceNumber;
                if (offset <= entry.LastOffset)
                {
                    Duplicates++;
                    continue;
                }

                entry.LastOffset = offset;
                entry.Offsets.Add(offset);
                entry.Payloads.Add(item.Item);
                Applied++;
            }
        }
    }

    public void RecordError()
    {
        lock (_lock)
        {
            Errors++;
        }
    }

    /// <summary>The applied offsets of a stream key, in order.</summary>
    public IReadOnlyList<long> OffsetsOf(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) ? [.. entry.Offsets] : [];
        }
    }

    /// <summary>The applied payloads of a stream key, in order.</summary>
    public IReadOnlyList<byte[]> PayloadsOf(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) ? [.. entry.Payloads] : [];
        }
    }

    /// <summary>How many items each call to a stream key's grain carried (including failed calls that reached the apply step).</summary>
    public IReadOnlyList<int> CallSizesOf(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) ? [.. entry.CallSizes] : [];
        }
    }

    /// <summary>Whether <paramref name="offset"/> of <paramref name="key"/> was applied.</summary>
    public bool IsApplied(string key, long offset)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) && entry.Offsets.BinarySearch(offset) >= 0;
        }
    }

    private sealed class Entry
    {
        public long LastOffset;
        public readonly List<long> Offsets = [];
        public readonly List<byte[]> Payloads = [];
        public readonly List<int> CallSizes = [];
    }
}
