namespace Grains.AppHost;

/// <summary>What the AppHost was asked to do.</summary>
public enum AppHostMode
{
    /// <summary>Run the app model: the Aspire dashboard and the silo(s), with PostgreSQL when asked.</summary>
    Run,

    /// <summary>Print the usage and exit.</summary>
    Help,
}
