namespace Grains.Runtime.Invocation;

/// <summary>
/// The chain of grain calls the current code runs under (flows with the execution context). It is
/// what a timeout names, so a deadlock (A → B → A) explains itself.
/// </summary>
internal sealed class CallChain(GrainId grain, string method, CallChain? parent, long deadline)
{
    private static readonly AsyncLocal<CallChain?> CurrentLink = new();

    public static CallChain? Current => CurrentLink.Value;

    public GrainId Grain { get; } = grain;

    public string Method { get; } = method;

    public CallChain? Parent { get; } = parent;

    /// <summary>When the call that runs this link must be answered (<see cref="Environment.TickCount64"/> milliseconds).</summary>
    public long Deadline { get; } = deadline;

    /// <summary>
    /// The timeout of a call made under <paramref name="caller"/>: the configured one, shortened so it
    /// expires a little before the caller's own deadline. The innermost call of a stuck chain then
    /// times out first, and its error — which names the whole chain — is what the outer caller sees.
    /// </summary>
    public static TimeSpan TimeoutFor(CallChain? caller, TimeSpan configured)
    {
        if (caller is null)
        {
            return configured;
        }

        var remaining = caller.Deadline - Environment.TickCount64;
        var margin = Math.Clamp(remaining / 10, 1, 1000);
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Min((long)configured.TotalMilliseconds, remaining - margin)));
    }

    /// <summary>Makes <paramref name="link"/> current and returns the previous link to restore.</summary>
    public static CallChain? Enter(CallChain link)
    {
        var previous = CurrentLink.Value;
        CurrentLink.Value = link;
        return previous;
    }

    public static void Restore(CallChain? previous)
    {
        if (!ReferenceEquals(CurrentLink.Value, previous))
        {
            CurrentLink.Value = previous;
        }
    }

    /// <summary>"Call to B.M; call chain: A.X -> B.M" (outermost first).</summary>
    public static string Describe(CallChain? caller, GrainId target, string method)
    {
        var links = new List<string> { $"{target} {method}" };
        for (var link = caller; link is not null && links.Count < 32; link = link.Parent)
        {
            links.Add($"{link.Grain} {link.Method}");
        }

        links.Reverse();
        var text = $"Call to {target} {method} (call chain: {string.Join(" -> ", links)})";
        for (var link = caller; link is not null; link = link.Parent)
        {
            if (link.Grain == target)
            {
                return text + $"; the chain enters {target} again while it is inside a call: a non-reentrant grain waiting on a call that needs it is a deadlock (mark the method [AlwaysInterleave] or the grain [Reentrant])";
            }
        }

        return text;
    }
}
