namespace Grains.Server.Ingest.Admission;

/// <summary>The outcome of spending from a lease.</summary>
/// <param name="Status">Whether the items were taken.</param>
/// <param name="Until">Taken: the end of the window the items came from (for a refund). Limited: when the limit ends (Unix seconds).</param>
public readonly record struct LeaseTake(LeaseTakeStatus Status, long Until)
{
    /// <summary>Items taken from a lease of the window ending at <paramref name="windowEnd"/>.</summary>
    public static LeaseTake Taken(long windowEnd) => new(LeaseTakeStatus.Taken, windowEnd);

    /// <summary>Limited until <paramref name="until"/>.</summary>
    public static LeaseTake Limited(long until) => new(LeaseTakeStatus.Limited, until);

    /// <summary>The lease is empty and the bucket has not said no yet.</summary>
    public static readonly LeaseTake NeedsBudget = new(LeaseTakeStatus.NeedsBudget, 0);
}
