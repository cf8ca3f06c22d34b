namespace Grains.Monitoring.Search;

/// <summary>How a search term compares its key with its value(s).</summary>
public enum SearchOperator
{
    /// <summary><c>key:value</c> (or one of a list); wildcards allowed.</summary>
    Equal,

    /// <summary><c>!key:value</c>.</summary>
    NotEqual,

    /// <summary><c>key:&gt;value</c>.</summary>
    GreaterThan,

    /// <summary><c>key:&lt;value</c>.</summary>
    LessThan,

    /// <summary><c>key:&gt;=value</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>key:&lt;=value</c>.</summary>
    LessThanOrEqual,
}
