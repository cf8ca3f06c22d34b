using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>
/// A parsed stack-trace rule: optional caller matcher, frame matchers, optional callee matcher, actions.
/// </summary>
internal sealed class EnhancementRule
{
    public EnhancementRule(
        EnhancementMatcher? caller,
        IReadOnlyList<EnhancementMatcher> matchers,
        EnhancementMatcher? callee,
        IReadOnlyList<EnhancementAction> actions)
    {
        Caller = caller;
        Matchers = matchers;
        Callee = callee;
        Actions = actions;
        var familyMask = PlatformFamily.AllBits;
        foreach (var matcher in matchers)
        {
            if (matcher.Kind == MatcherKind.Family)
            {
                familyMask &= matcher.Negated ? ~matcher.FamilyMask & PlatformFamily.AllBits : matcher.FamilyMask;
            }
        }

        FamilyMask = familyMask;
        FrameMatchers = matchers.Where(m => m.IsFrameLocal).ToArray();
        ContextMatchers = matchers.Where(m => !m.IsFrameLocal).ToArray();
        var parts = new List<string>();
        if (caller is not null)
        {
            parts.Add($"[ {caller.Text} ] |");
        }

        parts.AddRange(matchers.Select(m => m.Text));
        if (callee is not null)
        {
            parts.Add($"| [ {callee.Text} ]");
        }

        parts.AddRange(actions.Select(a => a.Text));
        Text = string.Join(' ', parts);
    }

    /// <summary>Families a frame must belong to for the frame matchers to match (a necessary condition only).</summary>
    public int FamilyMask { get; }

    /// <summary>False when no frame of the context can satisfy the rule's family matchers.</summary>
    public bool CanMatchAny(FrameMatchContext context) => (FamilyMask & context.FamilyUnion) != 0;

    public EnhancementMatcher? Caller { get; }

    public IReadOnlyList<EnhancementMatcher> Matchers { get; }

    public EnhancementMatcher? Callee { get; }

    public IReadOnlyList<EnhancementAction> Actions { get; }

    /// <summary>Canonical text, as quoted in hints (e.g. <c>module:io.sentry.* -group</c>).</summary>
    public string Text { get; }

    /// <summary>The same matchers with only the actions selected by <paramref name="classifier"/>, or null if none.</summary>
    public EnhancementRule? Split(bool classifier)
    {
        var actions = Actions.Where(a => a.IsClassifier == classifier).ToArray();
        return actions.Length == 0 ? null : new EnhancementRule(Caller, Matchers, Callee, actions);
    }

    /// <summary>Matchers that read only the frame's own fields (family, path, module, function, package).</summary>
    internal EnhancementMatcher[] FrameMatchers { get; }

    /// <summary>Matchers that read state rules change or the exception (app, category, error.*).</summary>
    internal EnhancementMatcher[] ContextMatchers { get; }

    public bool IsMatch(FrameMatchContext context, int index) => MatchesFrame(context, index) && MatchesContext(context, index);

    /// <summary>
    /// The part of <see cref="IsMatch"/> that depends only on frame <paramref name="index"/>'s own fields: its
    /// result is the same for every frame with the same family, path, module, function and package, which
    /// is what lets <see cref="Caching.GroupingCache"/> keep it across events.
    /// </summary>
    public bool MatchesFrame(FrameMatchContext context, int index)
    {
        if ((FamilyMask & context.FamilyBits[index]) == 0)
        {
            return false;
        }

        foreach (var matcher in FrameMatchers)
        {
            if (!matcher.IsMatch(context, index))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The rest of <see cref="IsMatch"/>: in-app flags and categories as earlier rules left them, the exception, the neighbours.</summary>
    public bool MatchesContext(FrameMatchContext context, int index)
    {
        foreach (var matcher in ContextMatchers)
        {
            if (!matcher.IsMatch(context, index))
            {
                return false;
            }
        }

        // Frames are ordered oldest first, so the caller is the previous frame and the callee the next.
        if (Caller is not null && (index == 0 || !Caller.IsMatch(context, index - 1)))
        {
            return false;
        }

        return Callee is null || (index + 1 < context.Frames.Count && Callee.IsMatch(context, index + 1));
    }
}
