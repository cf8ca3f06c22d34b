using System.Globalization;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>The few spellings in which the SQL that the relational stores share differs between databases.</summary>
public sealed class SqlDialect
{
    private SqlDialect(string name, string caseInsensitiveLike, bool arrays, bool guardsRepeatedUpserts)
    {
        Name = name;
        CaseInsensitiveLike = caseInsensitiveLike;
        Arrays = arrays;
        GuardsRepeatedUpserts = guardsRepeatedUpserts;
    }

    /// <summary>SQLite: <c>LIKE</c> already ignores ASCII case.</summary>
    public static SqlDialect Sqlite { get; } = new("sqlite", "LIKE", arrays: false, guardsRepeatedUpserts: false);

    /// <summary>
    /// PostgreSQL: <c>LIKE</c> is case-sensitive, so search uses <c>ILIKE</c>; over columns collated
    /// <c>"C"</c> it folds ASCII only, as SQLite's <c>LIKE</c> does.
    /// </summary>
    public static SqlDialect Postgres { get; } = new("postgres", "ILIKE", arrays: true, guardsRepeatedUpserts: true);

    public string Name { get; }

    /// <summary>The pattern-match operator that ignores (ASCII) case.</summary>
    public string CaseInsensitiveLike { get; }

    /// <summary>
    /// Whether a parameter may be an array (<c>= ANY(@ids)</c>, one statement text for any number of
    /// values); without, a list is spelled <c>IN (@i0, @i1, …)</c>.
    /// </summary>
    public bool Arrays { get; }

    /// <summary>
    /// Whether the upserts that nearly every event repeats (a release's rows) first check that the row
    /// does not already cover the event. PostgreSQL: an upsert that changes nothing still writes a row
    /// version and holds its lock until commit, serialising concurrent writers; SQLite has one writer.
    /// </summary>
    public bool GuardsRepeatedUpserts { get; }

    /// <summary>
    /// <c>{column} IN (…)</c> over <paramref name="values"/>, its parameters (named from
    /// <paramref name="name"/>) added to <paramref name="parameters"/>.
    /// </summary>
    public string InList(string column, string name, IReadOnlyList<long> values, List<(string Name, object Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(parameters);
        if (Arrays)
        {
            parameters.Add((name, values as long[] ?? [.. values]));
            return $"{column} = ANY({name})";
        }

        var names = new string[values.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = string.Create(CultureInfo.InvariantCulture, $"{name}{i}");
            parameters.Add((names[i], values[i]));
        }

        return $"{column} IN ({string.Join(", ", names)})";
    }

    public override string ToString() => Name;
}
