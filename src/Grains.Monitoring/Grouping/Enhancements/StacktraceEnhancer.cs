using System.Buffers;
using Grains.Monitoring.Grouping.Caching;
using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>
/// Applies stack-trace rules: the classifier pass (in-app flags and categories, before grouping) and
/// the contribution pass (<c>+/-group</c>, frame limits, hints) when a stack-trace component is built.
/// </summary>
internal static class StacktraceEnhancer
{
    /// <summary>
    /// Runs classifier rules in order over the frames, then records the final in-app/category. With a
    /// <paramref name="cache"/>, the frame-local half of every rule is looked up per frame instead of tested,
    /// and left on the frames for the later passes of the same event.
    /// </summary>
    public static void ApplyClassifiers(EnhancementRuleSet rules, List<EventFrame> frames, string platform, EventException? exception, GroupingCache? cache = null)
    {
        if (frames.Count == 0)
        {
            return;
        }

        var context = new FrameMatchContext(frames, platform, exception);
        context.AttachMatches(rules, cache);
        var changedInApp = new bool?[frames.Count];
        foreach (var (rule, index) in Matching(rules.ClassifierRules, RuleList.Classifier, context))
        {
            foreach (var action in rule.Actions)
            {
                if (action.Kind == EnhancementActionKind.Category)
                {
                    context.Categories[index] = action.Value;
                    continue;
                }

                var (start, end) = action.Targets(index, frames.Count);
                for (var target = start; target < end; target++)
                {
                    context.InApp[target] = action.Flag;
                    changedInApp[target] = action.Flag;
                }
            }
        }

        for (var i = 0; i < frames.Count; i++)
        {
            if (changedInApp[i] is bool inApp)
            {
                frames[i].SetInApp(inApp);
            }

            frames[i].Category = context.Categories[i];
        }
    }

    /// <summary>Frames no SDK or rule classified count as not in-app (Sentry's <c>_normalize_in_app</c>).</summary>
    public static void NormalizeInApp(List<EventFrame> frames)
    {
        foreach (var frame in frames)
        {
            if (frame.InApp is null)
            {
                frame.SetInApp(false);
            }
        }
    }

    /// <summary>
    /// Builds the stack-trace component for one variant: applies contribution rules to the frame
    /// components, enforces that system frames never count in the app variant, and sets frame hints.
    /// </summary>
    public static GroupingComponent AssembleStacktrace(
        EnhancementRuleSet rules,
        string variant,
        List<GroupingComponent> frameComponents,
        IReadOnlyList<EventFrame> frames,
        string platform,
        EventException? exception,
        IReadOnlyList<(EnhancementRule Rule, int Index)>? matches = null)
    {
        var isApp = variant == "app";
        var count = frames.Count;
        var context = new FrameMatchContext(frames, platform, exception);
        context.AttachMatches(rules, cache: null);

        var inAppHints = isApp ? ComputeInAppHints(rules, context) : null;

        var contributes = new bool[count];
        var contributesHints = new string?[count];
        for (var i = 0; i < count; i++)
        {
            contributes[i] = frameComponents[i].Contributes;
        }

        int? maxFrames = null;
        int? minFrames = null;
        foreach (var (rule, index) in matches ?? MatchContributes(rules, context))
        {
            foreach (var action in rule.Actions)
            {
                switch (action.Kind)
                {
                    case EnhancementActionKind.Group:
                        var (start, end) = action.Targets(index, count);
                        for (var target = start; target < end; target++)
                        {
                            if (contributes[target] != action.Flag)
                            {
                                contributes[target] = action.Flag;
                                contributesHints[target] = $"{(action.Flag ? "un-ignored" : "ignored")} by {RuleSource(rules, rule)} stack trace rule ({rule.Text})";
                            }
                        }

                        break;
                    case EnhancementActionKind.MaxFrames:
                        maxFrames = action.Number;
                        break;
                    case EnhancementActionKind.MinFrames:
                        minFrames = action.Number;
                        break;
                }
            }
        }

        if (maxFrames is int max)
        {
            // Keep only the contributing frames closest to the crash (the end of the list).
            var kept = 0;
            for (var i = count - 1; i >= 0; i--)
            {
                if (!contributes[i])
                {
                    continue;
                }

                if (kept < max)
                {
                    kept++;
                }
                else
                {
                    contributes[i] = false;
                    contributesHints[i] = $"ignored because only {max} {(max == 1 ? "frame is" : "frames are")} considered";
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            var component = frameComponents[i];
            var inApp = frames[i].InApp == true;
            component.InApp = inApp;
            component.Update(contributes: isApp && !inApp ? false : contributes[i]);

            var contributesHint = PickHint(isApp, inApp, contributesHints[i], component.Hint, "contributes");
            string? hint;
            if (!isApp)
            {
                hint = contributesHint;
            }
            else
            {
                var inAppHint = PickInAppHint(frames[i], component, inAppHints![i]);
                if (!inApp)
                {
                    hint = inAppHint;
                }
                else if (inAppHint is not null && contributesHint is not null)
                {
                    hint = $"{inAppHint} {(component.Contributes ? "and" : "but")} {contributesHint}";
                }
                else
                {
                    hint = inAppHint ?? contributesHint;
                }
            }

            component.Update(hint: hint);
        }

        var stacktrace = new GroupingComponent("stacktrace");
        stacktrace.SetChildren(frameComponents);
        if (minFrames is int min && min > 0)
        {
            var total = contributes.Count(c => c);
            if (total > 0 && total < min)
            {
                stacktrace.Update(
                    hint: $"discarded because stack trace only contains {total} frame{(total == 1 ? string.Empty : "s")} which is under the configured threshold",
                    contributes: false);
            }
        }

        return stacktrace;
    }

    /// <summary>
    /// Every (contribution rule, frame) match in application order. Matching only reads the frames and
    /// the exception (never the contribution flags), so both variants of a stack trace share one list.
    /// </summary>
    public static List<(EnhancementRule Rule, int Index)> MatchContributes(EnhancementRuleSet rules, IReadOnlyList<EventFrame> frames, string platform, EventException? exception)
    {
        var context = new FrameMatchContext(frames, platform, exception);
        context.AttachMatches(rules, cache: null);
        return MatchContributes(rules, context);
    }

    private static List<(EnhancementRule Rule, int Index)> MatchContributes(EnhancementRuleSet rules, FrameMatchContext context) =>
        Matching(rules.ContributesRules, RuleList.Contributes, context).ToList();

    /// <summary>
    /// The (rule, frame) matches of <paramref name="rules"/> in application order: rule by rule, frames in
    /// order within a rule. Lazy, so a pass that changes in-app flags or categories between two matches is
    /// seen by the next test, as rules see what earlier rules set. With <see cref="FrameMatchContext.Matches"/>
    /// only the pairs whose frame-local matchers hold are tested, and only for the contextual rest.
    /// </summary>
    private static IEnumerable<(EnhancementRule Rule, int Index)> Matching(IReadOnlyList<EnhancementRule> rules, RuleList list, FrameMatchContext context)
    {
        if (context.Matches is null)
        {
            var count = context.Frames.Count;
            foreach (var rule in rules)
            {
                if (!rule.CanMatchAny(context))
                {
                    continue;
                }

                for (var index = 0; index < count; index++)
                {
                    if (rule.IsMatch(context, index))
                    {
                        yield return (rule, index);
                    }
                }
            }

            yield break;
        }

        var pairs = context.CandidatePairs(list, out var pairCount);
        try
        {
            for (var p = 0; p < pairCount; p++)
            {
                var rule = rules[(int)(pairs[p] >> 32)];
                var index = (int)pairs[p];
                if (rule.MatchesContext(context, index))
                {
                    yield return (rule, index);
                }
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(pairs);
        }
    }

    private static string RuleSource(EnhancementRuleSet rules, EnhancementRule rule) =>
        rules.CustomRuleTexts.Contains(rule.Text) ? "custom" : "built-in";

    /// <summary>"marked in-app/out of app by … rule" hints, re-running the app actions of classifier rules.</summary>
    private static string?[] ComputeInAppHints(EnhancementRuleSet rules, FrameMatchContext context)
    {
        var count = context.Frames.Count;
        var hints = new string?[count];
        foreach (var (rule, index) in Matching(rules.ClassifierAppRules, RuleList.ClassifierApp, context))
        {
            foreach (var action in rule.Actions)
            {
                if (action.Kind != EnhancementActionKind.App)
                {
                    continue;
                }

                var (start, end) = action.Targets(index, count);
                for (var target = start; target < end; target++)
                {
                    if (InAppChanged(context.Frames[target], action.Flag))
                    {
                        hints[target] = $"marked {(action.Flag ? "in-app" : "out of app")} by {RuleSource(rules, rule)} stack trace rule ({rule.Text})";
                    }
                }
            }
        }

        return hints;
    }

    /// <summary>
    /// Upstream's test (including its quirk): if rules changed the flag, any app action counts;
    /// otherwise only actions that agree with the final flag do.
    /// </summary>
    private static bool InAppChanged(EventFrame frame, bool flag)
    {
        if (frame.OrigInApp is int orig)
        {
            bool? original = orig == -1 ? null : orig == 1;
            return original != frame.InApp;
        }

        return flag == frame.InApp;
    }

    private static string? PickInAppHint(EventFrame frame, GroupingComponent component, string? ruleHint)
    {
        var finalInApp = frame.InApp == true;
        string? clientHint = frame.ClientInApp is bool client && client == finalInApp
            ? $"marked {(client ? "in-app" : "out of app")} by the client"
            : null;
        var incoming = clientHint ?? (finalInApp ? null : "non app frame") ?? component.Hint;

        // Don't credit a rule for a value the client had already sent.
        if (ruleHint is not null && frame.ClientInApp == finalInApp)
        {
            ruleHint = null;
        }

        return PickHint(true, finalInApp, ruleHint, incoming, "in-app");
    }

    private static string? PickHint(bool isApp, bool inApp, string? preferred, string? fallback, string desiredType)
    {
        if (CanUse(isApp, inApp, preferred, desiredType))
        {
            return preferred;
        }

        return CanUse(isApp, inApp, fallback, desiredType) ? fallback : null;
    }

    private static bool CanUse(bool isApp, bool inApp, string? hint, string desiredType)
    {
        if (hint is null)
        {
            return false;
        }

        var type = hint.Contains("ignored", StringComparison.Ordinal) ? "contributes" : "in-app";
        if (type != desiredType)
        {
            return false;
        }

        // System frames never count in the app variant, so "ignored" hints are noise there; and
        // in-app hints mean nothing in the system variant.
        return !(isApp && !inApp && type == "contributes") && !(!isApp && type == "in-app");
    }
}
