namespace Grains.Runtime;

/// <summary>Activating a grain failed (its constructor, state load or <c>OnActivateAsync</c> threw).</summary>
public sealed class GrainActivationException(GrainId grainId, Exception innerException)
    : Exception($"Activation of grain {grainId} failed: {innerException.GetType().Name}: {innerException.Message}", innerException)
{
    /// <summary>The grain that failed to activate.</summary>
    public GrainId GrainId { get; } = grainId;
}
