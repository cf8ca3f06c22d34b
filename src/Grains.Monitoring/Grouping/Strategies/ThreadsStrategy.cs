using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>
/// Threads: group on the single crashed thread, else the single current thread, else the only thread.
/// </summary>
internal static class ThreadsStrategy
{
    public const string Name = "threads";

    public static ComponentsByVariant? Build(StrategyContext context)
    {
        var threads = context.Event.Threads;
        if (threads is null || threads.Count == 0)
        {
            return null;
        }

        var crashed = threads.Where(t => t.Crashed).ToList();
        var current = threads.Where(t => t.Current).ToList();
        var result = FromSingle(context, crashed) ?? FromSingle(context, current) ?? FromSingle(context, threads);
        if (result is not null)
        {
            return result;
        }

        var component = new GroupingComponent("threads");
        component.Update(
            $"ignored because it contains neither a single thread nor multiple threads with exactly one crashing or current thread; instead contains {crashed.Count} crashing, {current.Count} current, and {threads.Count} total threads",
            false);
        return ComponentsByVariant.Single("app", false, component);
    }

    private static ComponentsByVariant? FromSingle(StrategyContext context, List<EventThread> threads)
    {
        if (threads.Count != 1)
        {
            return null;
        }

        if (threads[0].Stacktrace is not { } stacktrace)
        {
            var empty = new GroupingComponent("threads");
            empty.Update("ignored because thread has no stacktrace", false);
            return ComponentsByVariant.Single("app", false, empty);
        }

        var result = new ComponentsByVariant();
        foreach (var (name, priority, component) in StacktraceStrategy.Build(context, stacktrace, null).Entries)
        {
            result.Add(name, priority, GroupingComponent.Node("threads", new[] { component }));
        }

        return result;
    }
}
