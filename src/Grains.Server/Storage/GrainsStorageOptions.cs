namespace Grains.Server.Storage;

/// <summary>Where a server keeps its state (configuration section <c>Grains:Storage</c>).</summary>
public sealed class GrainsStorageOptions
{
    /// <summary>The embedded provider: one SQLite file under <see cref="GrainsServerOptions.DataDirectory"/>.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>The cluster provider: the PostgreSQL database named by the connection string <c>grains</c>.</summary>
    public const string Postgres = "postgres";

    /// <summary>
    /// Orleans on Azure tables: grain state, membership and reminders in the account of
    /// <c>ConnectionStrings:azure-storage</c> (section <c>Grains:Storage:Azure</c>); the ingest log and the
    /// monitoring stores stay relational, on PostgreSQL when <c>ConnectionStrings:grains</c> is set, else on
    /// SQLite in the data directory (then one silo only: each silo would have its own database).
    /// </summary>
    public const string Azure = "azure";

    /// <summary>
    /// <see cref="Sqlite"/> (default), <see cref="Postgres"/> or <see cref="Azure"/>, case-insensitive
    /// (<c>Grains__Storage__Provider=postgres</c>). On PostgreSQL the connection string comes from
    /// <c>ConnectionStrings:grains</c> (<c>ConnectionStrings__grains</c>), and the provider's other
    /// settings from <c>Grains:Storage:Postgres</c> (e.g. <c>MigrationTimeout</c>). On SQLite the file is
    /// <c>{DataDirectory}/grains.db</c> and the writer's other settings come from <c>Grains:Storage:Sqlite</c>
    /// (e.g. <c>TrimStreamOnCheckpoint</c>, <c>BusyTimeout</c>).
    /// </summary>
    public string Provider { get; set; } = Sqlite;
}
