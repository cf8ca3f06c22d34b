using System.Text;
using Orleans.Streams;

namespace Grains.Streaming.Storage.Tests;

/// <summary>
/// What the counting grains' durable state would be, kept outside the silos so it survives a killed
/// silo: per stream key, the last applied offset and the applied items, updated atomically per grain
/// call (as a grain writes its state with its offset in one write). Items at or below the key's last
/// offset are redeliveries and are skipped, as the issue grain does.
/// </summary>
public sealed class CountingLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = [];
    private int _applied;
    private int _duplicates;
    private bool _crashed;

    public int Applied
    {
        get
        {
            lock (_lock)
            {
                return _applied;
            }
        }
    }

    public int Duplicates
    {
        get
        {
            lock (_lock)
            {
                return _duplicates;
            }
        }
    }

    /// <summary>While set, calls fail without applying anything: the process that held the state is gone.</summary>
    public bool Crashed
    {
        get
        {
            lock (_lock)
            {
                return _crashed;
            }
        }

        set
        {
            lock (_lock)
            {
                _crashed = value;
            }
        }
    }

    /// <summary>When set, the first call that finds this many items applied sets <see cref="Crashed"/> (an exact crash point, whatever the test thread's latency).</summary>
    public int? CrashAfter { get; set; }

    public void Apply(string key, IList<SequentialItem<byte[]>> items)
    {
        lock (_lock)
        {
            if (CrashAfter is { } limit && _applied >= limit)
            {
                _crashed = true;
                CrashAfter = null;
            }

            if (_crashed)
            {
                throw new InvalidOperationException("The silo is gone.");
            }

            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                _entries.Add(key, entry);
            }

            foreach (var item in items)
            {
                var offset = item.Token.SequenceNumber;
                if (offset <= entry.LastOffset)
                {
                    _duplicates++;
                    continue;
                }

                entry.LastOffset = offset;
                entry.Offsets.Add(offset);
                entry.Payloads.Add(Encoding.UTF8.GetString(item.Item));
                _applied++;
            }
        }
    }

    /// <summary>The applied payloads of a key, in order.</summary>
    public IReadOnlyList<string> PayloadsOf(string key)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out var entry) ? [.. entry.Payloads] : [];
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
        public readonly List<string> Payloads = [];
    }
}
