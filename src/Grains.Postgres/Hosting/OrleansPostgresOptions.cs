namespace Grains.Postgres.Hosting;

/// <summary>
/// Options of Orleans' ADO.NET clustering, grain storage and reminders on one PostgreSQL database
/// (<see cref="PostgresSiloBuilderExtensions"/>), and of the membership timing that decides how fast
/// survivors take over a silo that died without leaving.
/// </summary>
/// <remarks>
/// The membership defaults are tuned for the product's promise that a killed silo's grains are served
/// by the survivors within 10 s. Orleans' own defaults (probe timeout 5 s, 3 missed probes, table
/// refresh 60 s, heartbeat 30 s) took 12.3 s in a two-silo <c>kill -9</c> measurement on this
/// machine; probe timeout 1 s, 2 missed probes, 1 vote, table refresh 2 s and heartbeat 5 s took
/// 1.1 s. The values here sit between: fast enough for 10 s with room to spare, slow enough that a
/// short GC pause or CPU starvation on a loaded 2-core machine does not get a healthy silo killed.
/// </remarks>
public sealed class OrleansPostgresOptions
{
    /// <summary>
    /// The ADO.NET invariant name that makes Orleans load Npgsql's <c>NpgsqlFactory</c>. It is fixed:
    /// Orleans' providers choose their SQL dialect by it, and any other value would not be PostgreSQL.
    /// </summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// The default <see cref="MigrationTimeout"/>: 5 minutes. Applying the four scripts takes well under
    /// a second; the rest is room for waiting behind another silo's run or a slow server at start.
    /// </summary>
    public static readonly TimeSpan DefaultMigrationTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The default <see cref="ProbeTimeout"/>: 2 s (Orleans: 5 s). Orleans adapts the effective timeout
    /// between half and four times this value from observed probe times; 2 s keeps a missed probe
    /// meaningful under load while two missed probes still fit several times into 10 s.
    /// </summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The default <see cref="NumMissedProbesLimit"/>: 2 (Orleans: 3). One missed probe is noise (a
    /// GC pause); two in a row are a silo that is gone, and cost one probe period less than three.
    /// </summary>
    public const int DefaultNumMissedProbesLimit = 2;

    /// <summary>
    /// The default <see cref="NumVotesForDeathDeclaration"/>: 2 (Orleans' default, kept). With three or
    /// more silos, one silo's slow network cannot evict another alone; with two silos Orleans needs only
    /// the one vote there can be, so the pair is not slowed down.
    /// </summary>
    public const int DefaultNumVotesForDeathDeclaration = 2;

    /// <summary>
    /// The default <see cref="TableRefreshTimeout"/>: 2 s (Orleans: 60 s). How often each silo re-reads
    /// the membership table; a silo that missed the gossip about a death still learns of it within
    /// 2 s. Cost: one small query per silo every 2 s.
    /// </summary>
    public static readonly TimeSpan DefaultTableRefreshTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The default <see cref="IAmAliveTablePublishTimeout"/>: 5 s (Orleans: 30 s in the reference
    /// measurement). The heartbeat a silo writes to its membership row; stale rows (a silo whose
    /// process vanished before anyone probed it, e.g. all silos restarted) are recognised sooner.
    /// Cost: one single-row UPDATE per silo every 5 s.
    /// </summary>
    public static readonly TimeSpan DefaultIAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The Npgsql connection string (<c>Host=...;Port=...;Username=...;Password=...;Database=...</c>)
    /// of the database that holds the Orleans tables. Required; empty by default.
    /// Unless the string sets them, Grains adds <c>Max Auto Prepare=64;Auto Prepare Min Usages=2;No Reset On Close=true</c>
    /// (<see cref="PostgresConnectionDefaults"/>: prepared statements, no <c>DISCARD ALL</c> per pool checkout).
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Whether the silo applies the Orleans scripts at start (once per database, under an advisory
    /// lock, recorded as component <c>orleans</c> in <c>grains_component_schema</c>). Default
    /// <c>true</c>; turn it off only where a deployment step owns the schema and the silo's database
    /// user may not create tables.
    /// </summary>
    public bool ApplySchema { get; set; } = true;

    /// <summary>
    /// How long the schema migration at start may take, waiting for another silo's included; the silo
    /// fails to start after it. Default <see cref="DefaultMigrationTimeout"/>.
    /// </summary>
    public TimeSpan MigrationTimeout { get; set; } = DefaultMigrationTimeout;

    /// <summary>Orleans' <c>ClusterMembershipOptions.ProbeTimeout</c>. Default <see cref="DefaultProbeTimeout"/>.</summary>
    public TimeSpan ProbeTimeout { get; set; } = DefaultProbeTimeout;

    /// <summary>Orleans' <c>ClusterMembershipOptions.NumMissedProbesLimit</c>. Default <see cref="DefaultNumMissedProbesLimit"/>.</summary>
    public int NumMissedProbesLimit { get; set; } = DefaultNumMissedProbesLimit;

    /// <summary>Orleans' <c>ClusterMembershipOptions.NumVotesForDeathDeclaration</c>. Default <see cref="DefaultNumVotesForDeathDeclaration"/>.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = DefaultNumVotesForDeathDeclaration;

    /// <summary>Orleans' <c>ClusterMembershipOptions.TableRefreshTimeout</c>. Default <see cref="DefaultTableRefreshTimeout"/>.</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = DefaultTableRefreshTimeout;

    /// <summary>Orleans' <c>ClusterMembershipOptions.IAmAliveTablePublishTimeout</c>. Default <see cref="DefaultIAmAliveTablePublishTimeout"/>.</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = DefaultIAmAliveTablePublishTimeout;
}
