namespace Grains.Monitoring.Search;

/// <summary>
/// A parsed issue search (Sentry's grammar): terms combined with AND. Keys the parser knows are in
/// <see cref="SearchKeys"/>; any other <c>key:value</c> is a tag; a bare word or quoted string is free text.
/// </summary>
public sealed class IssueSearch
{
    /// <summary>The most terms one search may have (each becomes SQL conditions).</summary>
    public const int MaxTerms = 50;

    internal IssueSearch(IReadOnlyList<SearchTerm> terms) => Terms = terms;

    /// <summary>The terms in the order written.</summary>
    public IReadOnlyList<SearchTerm> Terms { get; }

    /// <summary>No terms (an empty or blank query).</summary>
    public bool IsEmpty => Terms.Count == 0;

    /// <summary>Parses <paramref name="query"/> (null or blank gives an empty search).</summary>
    /// <exception cref="SearchSyntaxException">A term is malformed; the exception names it.</exception>
    public static IssueSearch Parse(string? query) => new(IssueSearchParser.Parse(query));

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', Terms.Select(t => t.Raw));
}
