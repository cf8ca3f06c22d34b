namespace Grains.Monitoring.Search;

/// <summary>One term of an issue search: <c>[!]key:[op]value</c>, <c>key:[a, b]</c>, or free text.</summary>
/// <param name="Raw">The term as written (error messages name it).</param>
/// <param name="Key">The key as written (<c>is</c>, <c>timesSeen</c>, a tag name…); null for free text.</param>
/// <param name="Operator">The comparison; <c>!key:value</c> is <see cref="SearchOperator.NotEqual"/>.</param>
/// <param name="Values">One value, or several for a list (any of them matches).</param>
public sealed record SearchTerm(string Raw, string? Key, SearchOperator Operator, IReadOnlyList<SearchValue> Values)
{
    /// <summary>Free text: matches title, message and culprit (<see cref="Values"/> holds the text).</summary>
    public bool IsFreeText => Key is null;

    /// <summary>The term is negated (<c>!key:value</c>, <c>!has:key</c>).</summary>
    public bool IsNegated => Operator == SearchOperator.NotEqual;

    /// <summary>The single (first) value.</summary>
    public SearchValue Value => Values[0];
}
