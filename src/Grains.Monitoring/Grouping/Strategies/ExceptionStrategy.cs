using System.Text;
using Grains.Monitoring.Grouping.Model;
using Grains.Monitoring.Grouping.Parameterization;

namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>
/// Exception grouping: each exception contributes its type, its normalised value (only when the stack
/// trace does not contribute) and its stack trace; chains are wrapped in <c>chained_exception</c>
/// after exception groups are reduced per RFC 0079.
/// </summary>
internal static class ExceptionStrategy
{
    public const string Name = "exception";

    public static ComponentsByVariant? Build(StrategyContext context)
    {
        var all = context.Event.Exceptions;
        if (all is null || all.Count == 0)
        {
            return null;
        }

        var byException = new Dictionary<EventException, ComponentsByVariant>(ReferenceEqualityComparer.Instance);
        foreach (var exception in all)
        {
            byException[exception] = BuildSingle(context, exception);
        }

        var exceptions = ExceptionGroupFilter.Filter(all, byException, context.Event);
        if (exceptions.Count == 1)
        {
            return byException[exceptions[0]];
        }

        var names = new List<(string Name, bool Priority)>();
        var lists = new Dictionary<string, List<GroupingComponent>>(StringComparer.Ordinal);
        foreach (var exception in exceptions)
        {
            foreach (var (name, priority, component) in byException[exception].Entries)
            {
                if (!lists.TryGetValue(name, out var list))
                {
                    list = new List<GroupingComponent>();
                    lists[name] = list;
                    names.Add((name, priority));
                }

                list.Add(component);
            }
        }

        var result = new ComponentsByVariant();
        foreach (var (name, priority) in names)
        {
            result.Add(name, priority, GroupingComponent.Node("chained_exception", lists[name]));
        }

        return result;
    }

    private static ComponentsByVariant BuildSingle(StrategyContext context, EventException exception)
    {
        ComponentsByVariant stacktraces;
        if (exception.Stacktrace is not null)
        {
            stacktraces = StacktraceStrategy.Build(context, exception.Stacktrace, exception);
        }
        else
        {
            stacktraces = ComponentsByVariant.Single("app", true, new GroupingComponent("stacktrace"));
        }

        string? normalizedValue = null;
        string? valueHint = null;
        if (exception.Value is { } raw)
        {
            normalizedValue = MessageNormalizer.Normalize(raw);
            valueHint = raw != normalizedValue ? "stripped event-specific values" : null;
        }

        var result = new ComponentsByVariant();
        foreach (var (name, priority, stacktrace) in stacktraces.Entries)
        {
            var type = new GroupingComponent("type");
            if (!string.IsNullOrEmpty(exception.Type))
            {
                type.SetValues(new[] { exception.Type });
            }

            if (exception.Synthetic)
            {
                // SDK-made dummy exception: its type is platform noise, not a signal.
                type.Update("ignored because exception is synthetic", false);
            }

            GroupingComponent? nsError = null;
            if (exception.HasNsError)
            {
                nsError = GroupingComponent.Node("ns_error", new[]
                {
                    GroupingComponent.Leaf("ns_error_domain", exception.NsErrorDomain),
                    GroupingComponent.Leaf("ns_error_code", exception.NsErrorCode),
                });
            }

            var value = new GroupingComponent("value");
            if (!string.IsNullOrEmpty(normalizedValue))
            {
                value.SetValues(new[] { normalizedValue }, valueHint);
            }

            if (stacktrace.Contributes && value.Contributes)
            {
                value.Update("ignored because stacktrace takes precedence", false);
            }

            if (nsError is not null && nsError.Contributes && value.Contributes)
            {
                value.Update("ignored because ns-error info takes precedence", false);
            }

            var children = nsError is null
                ? new[] { type, value, stacktrace }
                : new[] { type, value, nsError, stacktrace };
            result.Add(name, priority, GroupingComponent.Node("exception", children));
        }

        return result;
    }

    /// <summary>Structural identity of an exception's components (all variants), for dedupe.</summary>
    internal static string StructuralKey(ComponentsByVariant components)
    {
        var builder = new StringBuilder();
        foreach (var (name, _, component) in components.Entries)
        {
            builder.Append(name).Append('=');
            component.AppendStructuralKey(builder);
        }

        return builder.ToString();
    }
}
