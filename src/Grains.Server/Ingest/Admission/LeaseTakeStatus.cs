namespace Grains.Server.Ingest.Admission;

/// <summary>See <see cref="LeaseTake"/>.</summary>
public enum LeaseTakeStatus
{
    Taken,
    Limited,
    NeedsBudget,
}
