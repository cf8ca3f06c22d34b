using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// One node of the grouping component tree (Sentry's <c>GroupingComponent</c>): an id such as
/// <c>exception</c>, <c>frame</c> or <c>function</c>, either child components or leaf string values,
/// a flag saying whether it feeds the hash, and a human hint explaining why (not).
/// </summary>
public sealed class GroupingComponent
{
    private static readonly IReadOnlyList<string> NoValues = Array.Empty<string>();
    private static readonly IReadOnlyList<GroupingComponent> NoChildren = Array.Empty<GroupingComponent>();

    private IReadOnlyList<string> _values = NoValues;
    private IReadOnlyList<GroupingComponent> _children = NoChildren;

    internal GroupingComponent(string id)
    {
        Id = id;
    }

    /// <summary>Component id, e.g. <c>app</c>, <c>chained_exception</c>, <c>stacktrace</c>, <c>frame</c>, <c>context_line</c>.</summary>
    public string Id { get; }

    /// <summary>Whether this component (and therefore its contributing descendants) feeds the hash.</summary>
    public bool Contributes { get; private set; }

    /// <summary>Why the component does or does not contribute (documentation, not compared for equality).</summary>
    public string? Hint { get; private set; }

    /// <summary>Leaf values (only for leaf components).</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>Child components (only for inner components).</summary>
    public IReadOnlyList<GroupingComponent> Children => _children;

    /// <summary>For frame components: whether the frame is in-app after stack-trace rules ran.</summary>
    internal bool InApp { get; set; }

    internal static GroupingComponent Leaf(string id, string? value)
    {
        var component = new GroupingComponent(id);
        if (value is not null)
        {
            component.SetValues(new[] { value });
        }

        return component;
    }

    internal static GroupingComponent Node(string id, IReadOnlyList<GroupingComponent> children)
    {
        var component = new GroupingComponent(id);
        component.SetChildren(children);
        return component;
    }

    /// <summary>
    /// Mirrors Sentry's <c>update()</c>: a null hint never clears an existing one, and setting values
    /// without an explicit flag recomputes the flag from the new values.
    /// </summary>
    internal void Update(string? hint = null, bool? contributes = null)
    {
        if (hint is not null)
        {
            Hint = hint;
        }

        if (contributes is bool flag)
        {
            Contributes = flag;
        }
    }

    internal void SetValues(IReadOnlyList<string> values, string? hint = null, bool? contributes = null)
    {
        _values = values;
        _children = NoChildren;
        Update(hint, contributes ?? values.Count > 0);
    }

    internal void SetChildren(IReadOnlyList<GroupingComponent> children, bool? contributes = null)
    {
        _children = children;
        _values = NoValues;
        if (contributes is bool flag)
        {
            Contributes = flag;
            return;
        }

        var any = false;
        for (var i = 0; i < children.Count; i++)
        {
            if (children[i].Contributes)
            {
                any = true;
                break;
            }
        }

        Contributes = any;
    }

    /// <summary>
    /// A copy of this component and its descendants (flags, hints, in-app mark); values lists are shared, as they
    /// are never changed in place (<see cref="SetValues"/> replaces them).
    /// </summary>
    internal GroupingComponent DeepClone()
    {
        var copy = new GroupingComponent(Id) { Contributes = Contributes, Hint = Hint, InApp = InApp, _values = _values };
        if (_children.Count > 0)
        {
            var children = new GroupingComponent[_children.Count];
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = _children[i].DeepClone();
            }

            copy._children = children;
        }

        return copy;
    }

    /// <summary>True when the component carries neither values nor children.</summary>
    public bool IsEmpty => _values.Count == 0 && _children.Count == 0;

    /// <summary>The values that feed the hash, in tree order (only through contributing components).</summary>
    public IEnumerable<string> ContributingValues()
    {
        var sink = new List<string>();
        CollectContributingValues(sink);
        return sink;
    }

    internal void CollectContributingValues(List<string> sink)
    {
        if (!Contributes)
        {
            return;
        }

        if (_children.Count == 0)
        {
            for (var i = 0; i < _values.Count; i++)
            {
                sink.Add(_values[i]);
            }

            return;
        }

        for (var i = 0; i < _children.Count; i++)
        {
            _children[i].CollectContributingValues(sink);
        }
    }

    /// <summary>md5 of the contributing values, or null when the component does not contribute.</summary>
    public string? GetHash()
    {
        if (!Contributes)
        {
            return null;
        }

        // The list is only read while hashing: one per thread is reused (a new one per hash grew by doubling, about
        // 2 KB per event measured under load).
        var values = t_hashValues ?? new List<string>(64);
        t_hashValues = null;
        try
        {
            CollectContributingValues(values);
            return GroupingHash.FromValues(values);
        }
        finally
        {
            values.Clear();
            if (values.Capacity <= MaxRetainedHashValues)
            {
                t_hashValues = values;
            }
        }
    }

    // The most values a thread's reused hashing list may keep room for (a hash of more gets a list of its own next time).
    private const int MaxRetainedHashValues = 4096;

    [ThreadStatic]
    private static List<string>? t_hashValues;

    /// <summary>Finds a contributing descendant with the given id, descending only through contributing nodes.</summary>
    internal bool HasContributingDescendant(string id)
    {
        for (var i = 0; i < _children.Count; i++)
        {
            var child = _children[i];
            if (!child.Contributes)
            {
                continue;
            }

            if (child.Id == id || child.HasContributingDescendant(id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sentry's grouping-info component shape: id, name, contributes, hint, values (strings or components).</summary>
    public JsonObject ToJson()
    {
        var values = new JsonArray();
        if (_children.Count > 0)
        {
            foreach (var child in _children)
            {
                values.Add(child.ToJson());
            }
        }
        else
        {
            foreach (var value in _values)
            {
                values.Add(value);
            }
        }

        return new JsonObject
        {
            ["id"] = Id,
            ["name"] = Id.Replace('_', '-'),
            ["contributes"] = Contributes,
            ["hint"] = Hint,
            ["values"] = values,
        };
    }

    /// <summary>Structural key (id, hint, flag, values) used to dedupe identical exceptions in exception groups.</summary>
    internal void AppendStructuralKey(System.Text.StringBuilder builder)
    {
        builder.Append('(').Append(Id).Append('|').Append(Contributes ? '1' : '0').Append('|').Append(Hint).Append('|');
        if (_children.Count > 0)
        {
            foreach (var child in _children)
            {
                child.AppendStructuralKey(builder);
            }
        }
        else
        {
            foreach (var value in _values)
            {
                builder.Append('"').Append(value.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
        }

        builder.Append(')');
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id}{(Contributes ? "*" : string.Empty)}{(Hint is null ? string.Empty : $" ({Hint})")}";
}
