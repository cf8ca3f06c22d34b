namespace Grains.Runtime;

/// <summary>Helpers on grain references.</summary>
public static class GrainReferenceExtensions
{
    /// <summary>The id of the grain a reference points to.</summary>
    public static GrainId GetGrainId(this IGrain grain) => grain is GrainReference reference
        ? reference.GrainId
        : throw new ArgumentException("Not a grain reference obtained from IGrainFactory.", nameof(grain));
}
