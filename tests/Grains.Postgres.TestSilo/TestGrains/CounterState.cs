namespace Grains.Postgres.TestSilo.TestGrains;

/// <summary>Grain state written straight through the storage provider.</summary>
[GenerateSerializer, Alias("Grains.Postgres.Tests.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }
}
