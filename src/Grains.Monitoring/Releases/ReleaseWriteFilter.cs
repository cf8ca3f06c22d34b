namespace Grains.Monitoring.Releases;

/// <summary>
/// Per silo, the release rows (project, version, environment) this silo's issue batches committed lately,
/// so that the next batches of the same release skip the upsert when it would change nothing that matters.
/// Sentry does the same: it moves a release's <c>last_seen</c> only when the stored one is more than a
/// minute older, and its <c>first_seen</c> only earlier.
/// </summary>
/// <remarks>
/// <para>
/// A <see cref="ReleaseSeen"/> is skipped when this silo committed that row less than
/// <see cref="ReleaseWriteFilterOptions.Window"/> ago with a first seen no later than the release's and a last
/// seen no earlier than the release's last seen minus the window. The row then already has a first seen no
/// later than the skipped one (upserts keep the minimum), so <c>first_seen</c> and the row's existence stay
/// exact: the release order (<see cref="ReleaseOrder"/>: which releases a project knows and their first-seen
/// order, which "resolved in the next release" and the latest-release alert filter judge by) is the one
/// without the filter. Only <c>last_seen</c> may lag the newest event by up to the window, as in Sentry.
/// </para>
/// <para>
/// What was written is recorded only after the commit (<see cref="Written"/>): a failed commit records
/// nothing, so the retried batch writes again. An unexpired entry is widened by later writes (both were
/// committed, and the row keeps their minimum and maximum). Entries expire after the window without a write,
/// and releases are never deleted, so a stale entry can cost at most one skipped <c>last_seen</c> bump.
/// </para>
/// <para>
/// Bounded: at <see cref="ReleaseWriteFilterOptions.Capacity"/> entries, the one written longest ago is
/// dropped (entries are kept in write order, so that is also the first to expire). One lock guards the map
/// and the order; it is taken once per issue batch with releases, not per event. Thread-safe.
/// </para>
/// </remarks>
public sealed class ReleaseWriteFilter
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly bool _enabled;
    private readonly Lock _lock = new();
    private readonly Dictionary<Key, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _byWrite = new(); // oldest write first
    private long _written;
    private long _skipped;

    /// <summary>Creates an empty filter (<paramref name="options"/> validated by <see cref="ReleaseWriteFilterOptionsValidator"/>).</summary>
    public ReleaseWriteFilter(ReleaseWriteFilterOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        _window = options.Window;
        _capacity = Math.Max(1, options.Capacity);
        _enabled = options.Enabled;
    }

    /// <summary>Rows remembered now (at most <see cref="ReleaseWriteFilterOptions.Capacity"/>).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Release rows recorded by <see cref="Written"/> since the filter was created.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>Release rows <see cref="ShouldWrite"/> left out since the filter was created.</summary>
    public long SkippedCount => Interlocked.Read(ref _skipped);

    /// <summary>Whether a batch must upsert <paramref name="release"/>: false when this silo's recent write covers it.</summary>
    public bool ShouldWrite(ReleaseSeen release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (!_enabled)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue(new Key(release.ProjectId, release.Version, release.Environment), out var node)
                || Expired(node.Value, now)
                || release.FirstSeen < node.Value.FirstSeen
                || release.LastSeen > node.Value.LastSeen + _window)
            {
                return true;
            }
        }

        Interlocked.Increment(ref _skipped);
        ReleaseInstruments.UpsertsSkipped.Add(1);
        return false;
    }

    /// <summary>Records releases a batch committed (call only after the commit succeeded).</summary>
    public void Written(IReadOnlyList<ReleaseSeen> releases)
    {
        ArgumentNullException.ThrowIfNull(releases);
        if (releases.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref _written, releases.Count);
        ReleaseInstruments.UpsertsWritten.Add(releases.Count);
        if (!_enabled)
        {
            return;
        }

        var now = _time.GetUtcNow();
        lock (_lock)
        {
            // Entries are in write order: the expired ones are at the front.
            while (_byWrite.First is { } oldest && Expired(oldest.Value, now))
            {
                Remove(oldest);
            }

            foreach (var release in releases)
            {
                var key = new Key(release.ProjectId, release.Version, release.Environment);
                var entry = new Entry(key, release.FirstSeen, release.LastSeen, now);
                if (_entries.TryGetValue(key, out var node))
                {
                    var known = node.Value;
                    if (!Expired(known, now))
                    {
                        entry = entry with
                        {
                            FirstSeen = known.FirstSeen < entry.FirstSeen ? known.FirstSeen : entry.FirstSeen,
                            LastSeen = known.LastSeen > entry.LastSeen ? known.LastSeen : entry.LastSeen,
                        };
                    }

                    Remove(node);
                }
                else if (_entries.Count >= _capacity && _byWrite.First is { } oldest)
                {
                    Remove(oldest);
                }

                _entries[key] = _byWrite.AddLast(entry);
            }
        }
    }

    private bool Expired(Entry entry, DateTimeOffset now) => now - entry.WrittenAt >= _window;

    private void Remove(LinkedListNode<Entry> node)
    {
        _entries.Remove(node.Value.Key);
        _byWrite.Remove(node);
    }

    private readonly record struct Key(long ProjectId, string Version, string Environment);

    private sealed record Entry(Key Key, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset WrittenAt);
}
