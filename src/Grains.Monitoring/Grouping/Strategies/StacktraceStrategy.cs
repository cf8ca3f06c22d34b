using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>
/// Builds the app (priority) and system variants of a stack trace. The app variant only counts in-app
/// frames; hints explain when a variant has no frames, no in-app frames or no contributing frames.
/// </summary>
internal static class StacktraceStrategy
{
    public const string Name = "stacktrace";

    public static ComponentsByVariant Build(StrategyContext context, EventStacktrace stacktrace, EventException? exception)
    {
        // Rule matches depend only on the frames, so both variants share them.
        var matches = StacktraceEnhancer.MatchContributes(context.Enhancements, stacktrace.Frames, context.Event.Platform, exception);
        // The frame components are the same for both variants until the variant changes them: build them once
        // (module/filename/function/context-line normalization is most of a frame's cost), the app variant
        // gets copies.
        var frames = new GroupingComponent[stacktrace.Frames.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = FrameStrategy.Build(stacktrace.Frames[i], context.Event.Platform);
        }

        var app = BuildVariant(context, stacktrace, exception, "app", matches, frames, copy: true);
        var system = BuildVariant(context, stacktrace, exception, "system", matches, frames, copy: false);

        var totalInApp = 0;
        var totalContributing = 0;
        var inAppContributing = 0;
        foreach (var frame in system.Children)
        {
            if (frame.InApp)
            {
                totalInApp++;
            }

            if (frame.Contributes)
            {
                totalContributing++;
                if (frame.InApp)
                {
                    inAppContributing++;
                }
            }
        }

        if (system.Children.Count == 0)
        {
            system.Update("ignored because it contains no frames", false);
            app.Update("ignored because it contains no frames", false);
        }
        else
        {
            if (totalContributing == 0)
            {
                system.Update("ignored because it contains no contributing frames", false);
            }

            if (totalInApp == 0)
            {
                app.Update("ignored because it contains no in-app frames", false);
            }
            else if (inAppContributing == 0)
            {
                app.Update("ignored because it contains no contributing frames", false);
            }
        }

        var result = new ComponentsByVariant();
        result.Add("app", true, app);
        result.Add("system", false, system);
        return result;
    }

    private static GroupingComponent BuildVariant(StrategyContext context, EventStacktrace stacktrace, EventException? exception, string variant, List<(EnhancementRule Rule, int Index)> matches, GroupingComponent[] built, bool copy)
    {
        var frames = stacktrace.Frames;
        var platform = context.Event.Platform;
        var components = new List<GroupingComponent>(frames.Count);
        EventFrame? previous = null;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            var component = copy ? built[i].DeepClone() : built[i];
            if (frame.IsRepeatOf(previous))
            {
                component.Update("ignored due to recursion", false);
            }

            if (variant == "app" && frame.InApp != true)
            {
                component.Update(contributes: false);
            }

            components.Add(component);
            previous = frame;
        }

        // A lone JavaScript frame without a function name is too weak to group on unless it at least
        // points at a URL (2026 behaviour; the 2023 config had this check inverted).
        if (frames.Count == 1
            && components[0].Contributes
            && PlatformFamily.Of(frames[0].Platform ?? platform) == PlatformFamily.JavaScript
            && string.IsNullOrEmpty(frames[0].Function)
            && !FrameStrategy.HasUrlOrigin(frames[0].AbsPath, filesCountAsUrls: true))
        {
            components[0].Update("ignored single non-URL JavaScript frame", false);
        }

        return StacktraceEnhancer.AssembleStacktrace(context.Enhancements, variant, components, frames, platform, exception, matches);
    }
}
