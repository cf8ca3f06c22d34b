using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>
/// RFC 0079 exception-group reduction: rebuild the exception tree from mechanism ids and keep only the
/// distinct "top-level" leaf exceptions (plus the root group when there are several), so a group of
/// three identical errors groups like the single error.
/// </summary>
internal static class ExceptionGroupFilter
{
    public static List<EventException> Filter(List<EventException> exceptions, Dictionary<EventException, ComponentsByVariant> components, GroupingEvent grouping)
    {
        if (exceptions.Count <= 1)
        {
            return exceptions;
        }

        // Python SDK 3.x changed how groups are sent; upstream keeps the old hashing for it.
        if (grouping.Platform == "python" && grouping.SdkVersion?.StartsWith('3') == true)
        {
            return exceptions;
        }

        var nodes = new Dictionary<long, Node>();
        var seen = new HashSet<long>();
        for (var i = exceptions.Count - 1; i >= 0; i--)
        {
            var exception = exceptions[i];
            if (exception.ExceptionId is not long id || id == exception.ParentId || !seen.Add(id))
            {
                // Broken tree (missing, duplicate or self-parenting id): use the list as sent.
                return exceptions;
            }

            GetNode(nodes, id).Exception = exception;
            if (exception.ParentId is long parent)
            {
                GetNode(nodes, parent).Children.Add(exception);
            }
        }

        if (!nodes.TryGetValue(0, out var root) || root.Exception is null)
        {
            return exceptions;
        }

        var topLevel = new List<EventException>();
        CollectTopLevel(root.Exception, nodes, topLevel, new HashSet<EventException>(ReferenceEqualityComparer.Instance));
        if (topLevel.Count == 0)
        {
            return exceptions;
        }

        // Stable sort by type, descending, then dedupe consecutive structurally identical exceptions.
        var sorted = topLevel.OrderByDescending(e => e.Type ?? "None", StringComparer.Ordinal).ToList();
        var distinct = new List<EventException>();
        string? previousKey = null;
        foreach (var exception in sorted)
        {
            var key = ExceptionStrategy.StructuralKey(components[exception]);
            if (key != previousKey)
            {
                distinct.Add(exception);
                previousKey = key;
            }
        }

        if (distinct.Count == 1)
        {
            var main = distinct[0];
            grouping.MainExceptionId = main.ExceptionId;
            var path = new List<EventException>();
            var current = main;
            var guard = new HashSet<EventException>(ReferenceEqualityComparer.Instance);
            while (current is not null && guard.Add(current))
            {
                path.Add(current);
                current = nodes.TryGetValue(current.ExceptionId!.Value, out var node) && node.Children.Count > 0 ? node.Children[0] : null;
            }

            return path;
        }

        distinct.Add(root.Exception);
        return distinct;
    }

    private static Node GetNode(Dictionary<long, Node> nodes, long id)
    {
        if (!nodes.TryGetValue(id, out var node))
        {
            node = new Node();
            nodes[id] = node;
        }

        return node;
    }

    private static void CollectTopLevel(EventException exception, Dictionary<long, Node> nodes, List<EventException> sink, HashSet<EventException> visiting)
    {
        if (!visiting.Add(exception))
        {
            return; // cycle guard
        }

        if (!exception.IsExceptionGroup)
        {
            sink.Add(exception);
            return;
        }

        if (nodes.TryGetValue(exception.ExceptionId!.Value, out var node))
        {
            foreach (var child in node.Children)
            {
                CollectTopLevel(child, nodes, sink, visiting);
            }
        }
    }

    private sealed class Node
    {
        public EventException? Exception { get; set; }

        public List<EventException> Children { get; } = new();
    }
}
