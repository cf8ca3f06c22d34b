using System.Buffers;
using Grains.Monitoring.Grouping.Caching;
using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>
/// The mutable per-stack-trace view rules match against: frames plus the in-app flags and categories
/// as rules have left them so far (later rules see what earlier rules set).
/// </summary>
internal sealed class FrameMatchContext
{
    public FrameMatchContext(IReadOnlyList<EventFrame> frames, string platform, EventException? exception)
    {
        Frames = frames;
        Platform = platform;
        Exception = exception;
        InApp = new bool[frames.Count];
        Categories = new string?[frames.Count];
        Families = new string[frames.Count];
        FamilyBits = new int[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            Families[i] = PlatformFamily.Of(frames[i].Platform ?? platform);
            FamilyBits[i] = PlatformFamily.Bit(Families[i]);
            FamilyUnion |= FamilyBits[i];
            InApp[i] = frames[i].InApp == true;
            Categories[i] = frames[i].Category;
        }
    }

    public IReadOnlyList<EventFrame> Frames { get; }

    public string Platform { get; }

    public EventException? Exception { get; }

    public bool[] InApp { get; }

    public string?[] Categories { get; }

    /// <summary>Behaviour family per frame, computed once because most built-in rules test it first.</summary>
    public string[] Families { get; }

    /// <summary><see cref="PlatformFamily.Bit"/> of <see cref="Families"/>.</summary>
    public int[] FamilyBits { get; }

    /// <summary>Union of <see cref="FamilyBits"/>: a rule whose family mask misses it matches no frame.</summary>
    public int FamilyUnion { get; }

    /// <summary>
    /// Per frame, the rules whose frame-local matchers hold (see <see cref="FrameRuleMatches"/>), when every
    /// frame has them for the rule set in use; null means the passes test every rule against every frame.
    /// </summary>
    public FrameRuleMatches[]? Matches { get; private set; }

    /// <summary>
    /// Fills <see cref="Matches"/> for <paramref name="rules"/>: from the frames (an earlier pass of the same
    /// event left them there), else from <paramref name="cache"/>; without a cache and without them on every
    /// frame, leaves <see cref="Matches"/> null.
    /// </summary>
    public void AttachMatches(EnhancementRuleSet rules, GroupingCache? cache)
    {
        var matches = new FrameRuleMatches[Frames.Count];
        for (var i = 0; i < matches.Length; i++)
        {
            var frame = Frames[i];
            var known = frame.RuleMatches;
            if (known is null || !ReferenceEquals(known.Rules, rules))
            {
                if (cache is null)
                {
                    return;
                }

                known = cache.GetOrAdd(rules, this, i);
                frame.RuleMatches = known;
            }

            matches[i] = known;
        }

        Matches = matches;
    }

    /// <summary>
    /// The (rule, frame) pairs of <paramref name="list"/> whose frame-local matchers hold, in the order the
    /// uncached passes test them (rule by rule, frames in order within a rule), packed as
    /// <c>rule &lt;&lt; 32 | frame</c> into the first <paramref name="count"/> slots of an array rented from
    /// <see cref="ArrayPool{T}.Shared"/> (the caller returns it). Only valid when <see cref="Matches"/> is set.
    /// </summary>
    public long[] CandidatePairs(RuleList list, out int count)
    {
        var matches = Matches!;
        count = 0;
        var rules = 0;
        foreach (var frame in matches)
        {
            var listed = frame.For(list);
            count += listed.Length;
            if (listed.Length > 0)
            {
                // Each frame lists its rules in ascending order: the last is its largest.
                rules = Math.Max(rules, listed[^1] + 1);
            }
        }

        var pairs = ArrayPool<long>.Shared.Rent(Math.Max(count, 1));
        if (count == 0)
        {
            return pairs;
        }

        // A counting sort by rule: walking the frames in order then puts each rule's frames in order too, which is
        // the order sorting the packed pairs gives, without comparing them.
        var starts = ArrayPool<int>.Shared.Rent(rules);
        try
        {
            Array.Clear(starts, 0, rules);
            foreach (var frame in matches)
            {
                foreach (var rule in frame.For(list))
                {
                    starts[rule]++;
                }
            }

            var position = 0;
            for (var r = 0; r < rules; r++)
            {
                var frames = starts[r];
                starts[r] = position;
                position += frames;
            }

            for (var i = 0; i < matches.Length; i++)
            {
                foreach (var rule in matches[i].For(list))
                {
                    pairs[starts[rule]++] = ((long)rule << 32) | (uint)i;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
        }

        return pairs;
    }
}
