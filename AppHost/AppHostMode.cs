namespace Grains.AppHost;

/// <summary>What the AppHost was asked to do.</summary>
public enum AppHostMode
{
    /// <summary>The embedded default: one silo in this process (SQLite), or a silo of a cluster when started by the launcher.</summary>
    Silo,

    /// <summary>The local cluster: PostgreSQL and N silo processes of this program (<c>--silos N --postgres</c>).</summary>
    Cluster,

    /// <summary>Print the usage and exit.</summary>
    Help,
}
