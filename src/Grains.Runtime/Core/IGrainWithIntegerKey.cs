namespace Grains.Runtime;

/// <summary>A grain interface whose grains are keyed by a 64-bit integer (stored in invariant decimal form).</summary>
public interface IGrainWithIntegerKey : IGrain;
