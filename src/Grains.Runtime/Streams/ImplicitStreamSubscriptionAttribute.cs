namespace Grains.Runtime.Streams;

/// <summary>
/// On a grain class implementing <see cref="IStreamSubscriber"/>: every stream in
/// <paramref name="streamNamespace"/> is delivered to the grain of this class whose key is the
/// stream's key, activating it on the first item. One namespace maps to one grain class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ImplicitStreamSubscriptionAttribute(string streamNamespace) : Attribute
{
    /// <summary>The stream namespace.</summary>
    public string Namespace { get; } = streamNamespace;
}
