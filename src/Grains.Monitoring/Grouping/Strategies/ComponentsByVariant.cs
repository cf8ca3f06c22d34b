namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>
/// Ordered variant → component map produced by a strategy. A priority variant (Sentry's <c>!app</c>)
/// keeps its hash when another variant of the same strategy produces an identical one.
/// </summary>
internal sealed class ComponentsByVariant
{
    private readonly List<(string Name, bool Priority, GroupingComponent Component)> _entries = new(2);

    public int Count => _entries.Count;

    public IReadOnlyList<(string Name, bool Priority, GroupingComponent Component)> Entries => _entries;

    public void Add(string name, bool priority, GroupingComponent component) => _entries.Add((name, priority, component));

    public static ComponentsByVariant Single(string name, bool priority, GroupingComponent component)
    {
        var result = new ComponentsByVariant();
        result.Add(name, priority, component);
        return result;
    }
}
