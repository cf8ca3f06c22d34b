using System.Data.Common;
using Npgsql;

namespace Grains.Postgres;

/// <summary>
/// The pool settings Grains puts into every PostgreSQL connection string it hands out (its own
/// <see cref="PostgresDatabase"/> pool and Orleans' ADO.NET clustering, grain storage and reminders),
/// unless the user's string sets the keyword itself.
/// </summary>
/// <remarks>
/// <para>
/// Measured on the cluster bench (bench/results/cluster.md, "Findings" 1): Npgsql's defaults send
/// every statement unnamed, so PostgreSQL parses and plans each call (≈ 20 % of its CPU), and reset a
/// pooled connection with <c>DISCARD ALL</c> at every checkout (a transaction of its own: about 7 of
/// 18.8 commits per event). With the values here PostgreSQL CPU per event fell by 30 % and commits
/// per event halved.
/// </para>
/// <para>
/// Skipping the reset is safe because no pooled connection of Grains or of Orleans' providers
/// leaves session state behind (checked): no <c>SET</c> outside a transaction, no temporary
/// tables, no <c>LISTEN</c>; advisory locks on pooled connections are transaction-scoped
/// (<c>pg_advisory_xact_lock</c> in seeding); session advisory locks and <c>LISTEN</c> live on
/// dedicated, unpooled connections (<see cref="PostgresDatabase.CreateSessionConnection"/>, the
/// schema migrator). Npgsql still rolls back a transaction left open when a connection returns
/// to the pool; only the <c>DISCARD ALL</c> is skipped.
/// </para>
/// </remarks>
public static class PostgresConnectionDefaults
{
    /// <summary>
    /// Npgsql's <c>Max Auto Prepare</c> default here: 64 statements per connection (Npgsql: 0, off).
    /// Grains' stores, the stream log and Orleans' providers use fewer distinct statements than
    /// that on one connection, so the hot ones stay prepared; each costs a little server memory per backend.
    /// </summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>
    /// Npgsql's <c>Auto Prepare Min Usages</c> default here: 2 (Npgsql: 5). A statement is prepared
    /// on its second use on a connection: one-off statements (migrations, setup) stay unprepared,
    /// every per-event statement is prepared almost at once.
    /// </summary>
    public const int AutoPrepareMinUsages = 2;

    /// <summary>Npgsql's <c>No Reset On Close</c> default here: <c>true</c> (Npgsql: <c>false</c>).</summary>
    public const bool NoResetOnClose = true;

    // Npgsql matches keywords case-insensitively and also accepts them without spaces.
    private static readonly string[] MaxAutoPrepareKeys = ["MAXAUTOPREPARE"];
    private static readonly string[] AutoPrepareMinUsagesKeys = ["AUTOPREPAREMINUSAGES"];
    private static readonly string[] NoResetOnCloseKeys = ["NORESETONCLOSE"];

    /// <summary>
    /// <paramref name="connectionString"/> with <see cref="MaxAutoPrepare"/>,
    /// <see cref="AutoPrepareMinUsages"/> and <see cref="NoResetOnClose"/> added where the string
    /// does not set them; a keyword the string sets keeps its value. An empty or malformed string is
    /// returned as is: the options validators report it with the option's name.
    /// </summary>
    public static string Apply(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        try
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            Apply(settings, Given(connectionString));
            return settings.ConnectionString;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            return connectionString;
        }
    }

    /// <summary>Adds the defaults to <paramref name="settings"/>, parsed from <paramref name="original"/>, where that string does not set them.</summary>
    internal static void Apply(NpgsqlConnectionStringBuilder settings, string original) => Apply(settings, Given(original));

    private static void Apply(NpgsqlConnectionStringBuilder settings, HashSet<string> given)
    {
        if (!MaxAutoPrepareKeys.Any(given.Contains))
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!AutoPrepareMinUsagesKeys.Any(given.Contains))
        {
            settings.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }

        if (!NoResetOnCloseKeys.Any(given.Contains))
        {
            settings.NoResetOnClose = NoResetOnClose;
        }
    }

    /// <summary>The keywords the string sets, upper-case without spaces.</summary>
    private static HashSet<string> Given(string connectionString)
    {
        var raw = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in raw.Keys)
        {
            given.Add(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        }

        return given;
    }
}
