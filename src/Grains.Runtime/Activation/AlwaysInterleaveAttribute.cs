namespace Grains.Runtime;

/// <summary>
/// On a grain interface method: calls to it may start at any time, interleaving with any other
/// request of the activation (still single-threaded). Use it for methods that are safe to run
/// while another turn awaits, such as a call back into a grain that is waiting on the caller.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class AlwaysInterleaveAttribute : Attribute;
