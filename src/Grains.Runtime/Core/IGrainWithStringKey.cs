namespace Grains.Runtime;

/// <summary>A grain interface whose grains are keyed by a string.</summary>
public interface IGrainWithStringKey : IGrain;
