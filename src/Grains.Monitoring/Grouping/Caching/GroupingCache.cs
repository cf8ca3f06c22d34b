using System.Collections.Concurrent;
using Grains.Monitoring.Grouping.Enhancements;

namespace Grains.Monitoring.Grouping.Caching;

/// <summary>
/// Keeps, across events, which stack-trace rules can match a frame: the frame-local half of every rule
/// (family, path, module, function, package) depends only on those fields, and real traffic repeats the same
/// frames, so each distinct frame is matched against the few hundred rules once (<see cref="FrameRuleMatches"/>).
/// The contextual half (in-app, category, exception, caller/callee) is still tested per event, so a cached and
/// an uncached run give the same result (<c>GroupingCacheEquivalenceTests</c>).
/// <para>
/// Keyed by the rule set's <see cref="EnhancementRuleSet.Identity"/>: a change of project rules or grouping
/// config builds a new rule set, whose frames miss, and the replaced set's entries are never read again and
/// age out. Bounded to <see cref="GroupingCacheOptions.MaxFrames"/> entries in two generations: new entries go
/// to the current one; when it holds half the cap it becomes the previous one and the old previous is
/// dropped; a hit in the previous generation is copied into the current. That keeps frames seen recently at
/// the cost of one lock per half-cap of misses, instead of LRU bookkeeping on every hit. Thread-safe.
/// </para>
/// </summary>
public sealed class GroupingCache
{
    /// <summary>
    /// Frames whose path, module, package and function are longer than this together (in UTF-16 units) are
    /// never stored, so an entry stays under about 2.5 KB whatever clients send; real frames are far shorter
    /// (the bench corpus: under 150).
    /// </summary>
    public const int MaxKeyLength = 1024;

    private readonly int _generationSize;
    private readonly Lock _rotation = new();
    private Generation _current = new();
    private Generation _previous = new();
    private long _hits;
    private long _misses;

    /// <summary>Creates an empty cache (<paramref name="options"/> validated by <see cref="GroupingCacheOptionsValidator"/>).</summary>
    public GroupingCache(GroupingCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _generationSize = Math.Max(1, options.MaxFrames / 2);
    }

    /// <summary>Entries held now (at most about <see cref="GroupingCacheOptions.MaxFrames"/>).</summary>
    public int Count => Volatile.Read(ref _current).Count + Volatile.Read(ref _previous).Count;

    /// <summary>Lookups answered from the cache since it was created.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that had to match the frame against every rule.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The frame-local rule matches of frame <paramref name="index"/> of <paramref name="context"/> under <paramref name="rules"/>.</summary>
    internal FrameRuleMatches GetOrAdd(EnhancementRuleSet rules, FrameMatchContext context, int index)
    {
        var frame = context.Frames[index];
        // Exactly what EnhancementMatcher's frame-local kinds read: keep in step with EnhancementMatcher.IsFrameLocal.
        var key = new FrameKey(rules.Identity, context.Families[index], frame.AbsPath ?? frame.Filename, frame.Module, frame.Package, frame.Function ?? frame.RawFunction);
        if (key.Length > MaxKeyLength)
        {
            // The cap counts entries, not bytes: a client sending huge frame strings must not turn
            // 50,000 entries into gigabytes. Such frames are matched every time, as without the cache.
            Interlocked.Increment(ref _misses);
            GroupingInstruments.FrameCacheMisses.Add(1);
            return FrameRuleMatches.Compute(rules, context, index);
        }

        var current = Volatile.Read(ref _current);
        if (current.Map.TryGetValue(key, out var matches))
        {
            Hit();
            return matches;
        }

        if (Volatile.Read(ref _previous).Map.TryGetValue(key, out matches))
        {
            Hit();
            Add(current, key, matches);
            return matches;
        }

        Interlocked.Increment(ref _misses);
        GroupingInstruments.FrameCacheMisses.Add(1);
        matches = FrameRuleMatches.Compute(rules, context, index);
        Add(current, key, matches);
        return matches;
    }

    private void Hit()
    {
        Interlocked.Increment(ref _hits);
        GroupingInstruments.FrameCacheHits.Add(1);
    }

    private void Add(Generation generation, FrameKey key, FrameRuleMatches matches)
    {
        if (!generation.Map.TryAdd(key, matches) || Interlocked.Increment(ref generation.Added) < _generationSize)
        {
            return;
        }

        lock (_rotation)
        {
            if (!ReferenceEquals(_current, generation))
            {
                return; // another thread rotated it already
            }

            var dropped = _previous.Count;
            Volatile.Write(ref _previous, generation);
            Volatile.Write(ref _current, new Generation());
            GroupingInstruments.FrameCacheEvictions.Add(dropped);
        }
    }

    /// <summary>What a frame-local matcher can read; strings compared ordinally.</summary>
    private readonly record struct FrameKey(long RuleSet, string Family, string? Path, string? Module, string? Package, string? Function)
    {
        public int Length => (Path?.Length ?? 0) + (Module?.Length ?? 0) + (Package?.Length ?? 0) + (Function?.Length ?? 0);
    }

    private sealed class Generation
    {
        public readonly ConcurrentDictionary<FrameKey, FrameRuleMatches> Map = new();

        // Counted apart from Map.Count, which takes every lock of the dictionary.
        public int Added;

        public int Count => Volatile.Read(ref Added);
    }
}
