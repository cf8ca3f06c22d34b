namespace Grains.Ingestion.Normalization;

/// <summary>A container <see cref="EventJsonReader"/> is inside of.</summary>
/// <param name="Members">Its members so far.</param>
/// <param name="IsArray">An array (else an object).</param>
/// <param name="Slot">Its index among its parent's members (-1: the root).</param>
internal readonly record struct OpenContainer(ContainerMembers Members, bool IsArray, int Slot)
{
    /// <summary>Its id among the containers holding deferred numbers (<see cref="DeferredNumbers.Register"/>); -1 while it holds none.</summary>
    public int NumbersId { get; init; } = -1;
}
