namespace Grains.Monitoring.Storage.Relational;

/// <summary>The few spellings in which the SQL that the relational stores share differs between databases.</summary>
public sealed class SqlDialect
{
    private SqlDialect(string name, string caseInsensitiveLike)
    {
        Name = name;
        CaseInsensitiveLike = caseInsensitiveLike;
    }

    /// <summary>SQLite: <c>LIKE</c> already ignores ASCII case.</summary>
    public static SqlDialect Sqlite { get; } = new("sqlite", "LIKE");

    /// <summary>
    /// PostgreSQL: <c>LIKE</c> is case-sensitive, so search uses <c>ILIKE</c>; over columns collated
    /// <c>"C"</c> it folds ASCII only, as SQLite's <c>LIKE</c> does.
    /// </summary>
    public static SqlDialect Postgres { get; } = new("postgres", "ILIKE");

    public string Name { get; }

    /// <summary>The pattern-match operator that ignores (ASCII) case.</summary>
    public string CaseInsensitiveLike { get; }

    public override string ToString() => Name;
}
