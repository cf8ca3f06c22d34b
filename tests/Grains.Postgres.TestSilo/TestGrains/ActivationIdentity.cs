namespace Grains.Postgres.TestSilo.TestGrains;

/// <summary>One activation: a number drawn when it was created and the silo it lives on.</summary>
[GenerateSerializer, Immutable, Alias("Grains.Postgres.Tests.ActivationIdentity")]
public sealed record ActivationIdentity([property: Id(0)] Guid Activation, [property: Id(1)] SiloAddress Silo);
