namespace Grains.Postgres.Schema;

/// <summary>
/// The schema of Orleans' ADO.NET clustering, grain storage and reminders on PostgreSQL: the
/// official Orleans scripts shipped in <c>OrleansScripts/</c> (MIT, .NET Foundation; origin and
/// commit in its README), embedded in this assembly, as versions 1 to 4 of the component
/// <see cref="Component"/>.
/// </summary>
/// <remarks>
/// The scripts are not idempotent (a second run fails on <c>CREATE TABLE OrleansQuery</c>), which is
/// why they are applied through <see cref="PostgresSchemaMigrator"/>: once, in order, under a lock.
/// The order is Orleans' own (Main creates <c>OrleansQuery</c>, which the others insert into). A
/// newer Orleans that changes a script gets a new migration appended here, never an edit.
/// </remarks>
public static class OrleansPostgresSchema
{
    /// <summary>The component name of the Orleans tables in <c>grains_component_schema</c>.</summary>
    public const string Component = "orleans";

    /// <summary>The embedded script files, in the order they are applied (version = index + 1).</summary>
    public static IReadOnlyList<string> ScriptNames { get; } =
    [
        "PostgreSQL-Main.sql",
        "PostgreSQL-Clustering.sql",
        "PostgreSQL-Persistence.sql",
        "PostgreSQL-Reminders.sql",
    ];

    private static readonly string[] Descriptions =
    [
        "Orleans OrleansQuery table (PostgreSQL-Main.sql, Orleans e558829b)",
        "Orleans ADO.NET clustering: membership tables and queries (PostgreSQL-Clustering.sql, Orleans e558829b)",
        "Orleans ADO.NET grain storage: OrleansStorage and queries (PostgreSQL-Persistence.sql, Orleans e558829b)",
        "Orleans ADO.NET reminders: OrleansRemindersTable and queries (PostgreSQL-Reminders.sql, Orleans e558829b)",
    ];

    private static readonly Lazy<IReadOnlyList<PostgresMigration>> Loaded = new(Load);

    /// <summary>The migrations, read from the embedded scripts on first use.</summary>
    public static IReadOnlyList<PostgresMigration> Migrations => Loaded.Value;

    /// <summary>Reads one embedded script as shipped (for checksums and inspection).</summary>
    /// <param name="scriptName">One of <see cref="ScriptNames"/>.</param>
    public static string ReadScript(string scriptName)
    {
        var assembly = typeof(OrleansPostgresSchema).Assembly;
        using var stream = assembly.GetManifestResourceStream("Grains.Postgres.OrleansScripts." + scriptName)
            ?? throw new InvalidOperationException($"The embedded Orleans script {scriptName} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IReadOnlyList<PostgresMigration> Load() =>
        ScriptNames.Select((name, i) => new PostgresMigration(Descriptions[i], ReadScript(name))).ToArray();
}
