namespace Grains.Runtime;

/// <summary>A grain interface whose grains are keyed by a <see cref="Guid"/> (stored as its "N" string form).</summary>
public interface IGrainWithGuidKey : IGrain;
