namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// SQL text with its parameters (named <c>@name</c>, values of simple types: long, int, string). Each
/// backend binds them to its own command type.
/// </summary>
public sealed record SqlStatement(string Sql, IReadOnlyList<(string Name, object Value)> Parameters);
