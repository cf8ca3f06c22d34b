using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grains.Server.Dashboard.Live;

/// <summary>The dashboard's traces and metrics (<c>Grains.Dashboard</c>).</summary>
internal static class DashboardInstruments
{
    public const string Name = "Grains.Dashboard";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Change-mark polls of the store (one per watched project set per poll interval).</summary>
    public static readonly Counter<long> Polls = Meter.CreateCounter<long>("grains.dashboard.live.polls", description: "Change-mark polls of the issue store by live pages.");

    /// <summary>Changes the polls found (each notifies the pages watching those projects).</summary>
    public static readonly Counter<long> Changes = Meter.CreateCounter<long>("grains.dashboard.live.changes", description: "Changes found by the live polls.");

    /// <summary>Page refreshes caused by live changes (after throttling).</summary>
    public static readonly Counter<long> Refreshes = Meter.CreateCounter<long>("grains.dashboard.live.refreshes", description: "Live page refreshes after throttling.");
}
