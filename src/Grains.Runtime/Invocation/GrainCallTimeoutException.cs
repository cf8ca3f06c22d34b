namespace Grains.Runtime;

/// <summary>
/// A grain call did not complete within its deadline. The message names the call chain; a chain
/// that visits a non-reentrant grain twice (A → B → A) is a deadlock that only the deadline ends.
/// </summary>
public sealed class GrainCallTimeoutException(string callDescription, TimeSpan timeout)
    : TimeoutException($"{callDescription} did not complete within {timeout.TotalSeconds:0.###} s.")
{
    /// <summary>The deadline that expired.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
