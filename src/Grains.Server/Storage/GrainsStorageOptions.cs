namespace Grains.Server.Storage;

/// <summary>Where a server keeps its state (configuration section <c>Grains:Storage</c>).</summary>
public sealed class GrainsStorageOptions
{
    /// <summary>The embedded provider: one SQLite file under <see cref="GrainsServerOptions.DataDirectory"/>.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>The cluster provider: the PostgreSQL database named by the connection string <c>grains</c>.</summary>
    public const string Postgres = "postgres";

    /// <summary>
    /// <see cref="Sqlite"/> (default) or <see cref="Postgres"/>, case-insensitive
    /// (<c>Grains__Storage__Provider=postgres</c>). On PostgreSQL the connection string comes from
    /// <c>ConnectionStrings:grains</c> (<c>ConnectionStrings__grains</c>), and the provider's other
    /// settings from <c>Grains:Storage:Postgres</c> (e.g. <c>MigrationTimeout</c>). On SQLite the file is
    /// <c>{DataDirectory}/grains.db</c> and the writer's other settings come from <c>Grains:Storage:Sqlite</c>
    /// (e.g. <c>TrimStreamOnCheckpoint</c>, <c>BusyTimeout</c>).
    /// </summary>
    public string Provider { get; set; } = Sqlite;
}
