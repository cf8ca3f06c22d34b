namespace Grains.Monitoring.Search;

/// <summary>A malformed issue search; the message names the offending term (the API answers 400 with it).</summary>
public sealed class SearchSyntaxException(string term, string reason)
    : Exception($"Invalid search term '{term}': {reason}")
{
    /// <summary>The offending term as written.</summary>
    public string Term { get; } = term;
}
