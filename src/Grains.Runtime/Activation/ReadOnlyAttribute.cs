namespace Grains.Runtime;

/// <summary>
/// On a grain interface method: the method does not change state, so calls to read-only methods may
/// interleave with each other (never with a non-read-only turn).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class ReadOnlyAttribute : Attribute;
