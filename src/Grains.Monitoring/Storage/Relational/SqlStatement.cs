namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// SQL text with its parameters (named <c>@name</c>, values of simple types: long, int, string). Each
/// backend binds them to its own command type.
/// </summary>
public sealed record SqlStatement(string Sql, IReadOnlyList<(string Name, object Value)> Parameters)
{
    /// <summary>
    /// The text is built per call (a search's filters, a list of ids): a backend that caches a prepared
    /// command per text runs it uncached, so the cache does not grow with every query.
    /// </summary>
    public bool Varies { get; init; }
}
