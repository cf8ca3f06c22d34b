namespace Grains.Runtime;

/// <summary>
/// Lets the activations of a grain class interleave requests: a new request may start while another
/// awaits. Execution stays single-threaded (interleaving happens only at awaits).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;
