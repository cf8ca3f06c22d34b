using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Grains.Monitoring.Grouping.Parameterization;

/// <summary>
/// Replaces event-specific values (ids, numbers, dates, addresses …) in a message with placeholders
/// such as <c>&lt;int&gt;</c>, using one combined regex applied left to right in a single pass.
/// Instances are immutable and thread-safe; build once and share.
/// </summary>
public sealed class Parameterizer
{
    /// <summary>
    /// Per-call budget. Pathological input then falls back to the unparameterized text instead of stalling
    /// ingest. The timeout is wall-clock time, so it is generous: on a loaded machine a thread can be
    /// descheduled for hundreds of milliseconds mid-match, and a timeout there would change the hash.
    /// </summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private const RegexOptions Options = RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture | RegexOptions.CultureInvariant | RegexOptions.Compiled;

    /// <summary>ASCII characters that can start or anchor some alternative; see <see cref="CannotMatch"/>.</summary>
    private static readonly SearchValues<char> TriggerChars = SearchValues.Create("0123456789@:.=");

    private static readonly SearchValues<char> HexLetters = SearchValues.Create("abcdefABCDEF");

    private readonly Regex _regex;
    private readonly int[] _groupNumbers;
    private readonly string[] _replacements;

    /// <summary>
    /// Each alternative on its own. The combined regex is one huge method that the JIT only compiles
    /// with minimal optimisation, and at every position it tries every alternative; the single
    /// alternatives are small, fully optimised and find their candidates with vectorised searches.
    /// Merging their leftmost matches (ties to the earlier alternative) is exactly the combined
    /// regex's left-to-right, first-alternative-wins behaviour, because nothing follows the groups.
    /// </summary>
    private readonly Regex[] _alternatives;

    /// <summary>True when the trigger pre-check is valid (only for the default table it was derived from).</summary>
    private readonly bool _useTriggerCheck;

    /// <summary>
    /// Results already computed, by input: an issue's events repeat the same exception value, and the regex passes
    /// were about a fifth of grouping an event (bench <c>edge</c>). Dropped whole when full (<see cref="MemoEntries"/>).
    /// </summary>
    private ConcurrentDictionary<string, string> _memo = new(StringComparer.Ordinal);

    private int _memoCount;

    /// <summary>Inputs remembered before the memo starts over (bounds its memory to a few MB with <see cref="MemoMaxLength"/>).</summary>
    public const int MemoEntries = 4096;

    /// <summary>Longer inputs are not remembered: they are rarely repeated and would make the memo's memory unbounded in practice.</summary>
    public const int MemoMaxLength = 256;

    /// <summary>Builds a parameterizer over the given patterns (default: the full reference table).</summary>
    public Parameterizer(IReadOnlyList<ParameterizationPattern>? patterns = null)
    {
        patterns ??= ParameterizationPatterns.Default;
        var builder = new StringBuilder();
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i];
            if (i > 0)
            {
                builder.Append('|');
            }

            if (pattern.Lookbehind is not null)
            {
                builder.Append("(?<=").Append(pattern.Lookbehind).Append(')');
            }

            // Newline before the closing paren so a trailing `# comment` in the body cannot swallow it.
            builder.Append("(?<").Append(pattern.Name).Append('>').Append(pattern.Pattern).Append("\n)");
        }

        // ExplicitCapture: only the named groups capture, so finding the winning alternative is a
        // short scan over a dozen group numbers rather than every nested group.
        _regex = new Regex(builder.ToString(), Options, MatchTimeout);
        _groupNumbers = new int[patterns.Count];
        _replacements = new string[patterns.Count];
        _alternatives = new Regex[patterns.Count];
        for (var i = 0; i < patterns.Count; i++)
        {
            _groupNumbers[i] = _regex.GroupNumberFromName(patterns[i].Name);
            _replacements[i] = "<" + patterns[i].Name + ">";
            var pattern = patterns[i];
            var single = (pattern.Lookbehind is null ? string.Empty : "(?<=" + pattern.Lookbehind + ")")
                + "(?<" + pattern.Name + ">" + pattern.Pattern + "\n)";
            _alternatives[i] = new Regex(single, Options, MatchTimeout);
        }

        _useTriggerCheck = ReferenceEquals(patterns, ParameterizationPatterns.Default);
    }

    /// <summary>Shared instance over the default table.</summary>
    public static Parameterizer Default { get; } = new();

    /// <summary>Returns the text with every recognised value replaced by its placeholder.</summary>
    public string Parameterize(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        if (_useTriggerCheck && CannotMatch(input))
        {
            return input;
        }

        var memo = input.Length <= MemoMaxLength ? Volatile.Read(ref _memo) : null;
        if (memo is not null && memo.TryGetValue(input, out var known))
        {
            return known;
        }

        string result;
        try
        {
            result = ReplaceMerged(input) ?? _regex.Replace(input, Evaluate);
        }
        catch (RegexMatchTimeoutException)
        {
            // Deterministic fallback: the raw text still groups identical messages together. Not remembered: a
            // timeout depends on the machine's load, the next event may well finish.
            return input;
        }

        if (memo is not null && memo.TryAdd(input, result) && Interlocked.Increment(ref _memoCount) >= MemoEntries)
        {
            // Full: start over (a racing thread may add to the old one; that entry is just lost).
            Volatile.Write(ref _memo, new ConcurrentDictionary<string, string>(StringComparer.Ordinal));
            Volatile.Write(ref _memoCount, 0);
        }

        return result;
    }

    /// <summary>Inputs currently remembered (tests).</summary>
    internal int MemoCount => Volatile.Read(ref _memo).Count;

    /// <summary>
    /// Cheap proof that no alternative of the default table can match anywhere, so the text stays as is.
    /// Every default alternative needs a digit (<c>\d</c> is any Unicode digit), <c>@</c>, <c>:</c>,
    /// <c>.</c> or <c>=</c>, except those made only of hex letters (uuid, md5, sha1, swift_txn_id),
    /// which need a run of at least eight of them. Non-ASCII text always takes the regex path.
    /// </summary>
    private static bool CannotMatch(string input)
    {
        var span = input.AsSpan();
        if (span.ContainsAny(TriggerChars) || !Ascii.IsValid(span))
        {
            return false;
        }

        var run = 0;
        foreach (var c in span)
        {
            if (HexLetters.Contains(c))
            {
                if (++run >= 8)
                {
                    return false;
                }
            }
            else
            {
                run = 0;
            }
        }

        return true;
    }

    /// <summary>
    /// Leftmost-first merge of the single-alternative matches. Returns null (use the combined regex)
    /// in the never-expected case of an empty match, whose advance rules differ.
    /// </summary>
    private string? ReplaceMerged(string input)
    {
        var count = _alternatives.Length;
        Span<int> index = count <= 64 ? stackalloc int[count] : new int[count];
        Span<int> length = count <= 64 ? stackalloc int[count] : new int[count];
        for (var i = 0; i < count; i++)
        {
            if (!NextMatch(i, input, 0, out index[i], out length[i]))
            {
                return null;
            }
        }

        StringBuilder? builder = null;
        var position = 0;
        while (true)
        {
            var best = -1;
            for (var i = 0; i < count; i++)
            {
                if (index[i] >= 0 && (best < 0 || index[i] < index[best]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            builder ??= new StringBuilder(input.Length + 16);
            builder.Append(input, position, index[best] - position).Append(_replacements[best]);
            position = index[best] + length[best];
            for (var i = 0; i < count; i++)
            {
                if (index[i] >= 0 && index[i] < position && !NextMatch(i, input, position, out index[i], out length[i]))
                {
                    return null;
                }
            }
        }

        if (builder is null)
        {
            return input;
        }

        return builder.Append(input, position, input.Length - position).ToString();
    }

    /// <summary>First match of one alternative at or after <paramref name="start"/>; false only for an empty match.</summary>
    private bool NextMatch(int alternative, string input, int start, out int index, out int length)
    {
        index = -1;
        length = 0;
        if (start > input.Length)
        {
            return true;
        }

        foreach (var match in _alternatives[alternative].EnumerateMatches(input, start))
        {
            index = match.Index;
            length = match.Length;
            return length > 0;
        }

        return true;
    }

    /// <summary>Reference path (the single combined regex, no shortcuts); tests check the fast path against it.</summary>
    internal string ParameterizeCombined(string input)
    {
        try
        {
            return _regex.Replace(input, Evaluate);
        }
        catch (RegexMatchTimeoutException)
        {
            return input;
        }
    }

    private string Evaluate(Match match)
    {
        for (var i = 0; i < _groupNumbers.Length; i++)
        {
            if (match.Groups[_groupNumbers[i]].Success)
            {
                return _replacements[i];
            }
        }

        return match.Value;
    }
}
