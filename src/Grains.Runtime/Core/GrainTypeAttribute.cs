namespace Grains.Runtime;

/// <summary>
/// Names a grain class's type in grain ids. Without it the type name is the class name in lower
/// case with a trailing "Grain" removed (<c>IssueGrain</c> → <c>issue</c>). The name is part of
/// every stored grain id and of partition assignment, so it must not change once data exists.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
