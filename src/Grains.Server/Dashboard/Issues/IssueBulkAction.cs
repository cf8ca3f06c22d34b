namespace Grains.Server.Dashboard.Issues;

/// <summary>What the stream's bulk buttons do to the selected issues.</summary>
public enum IssueBulkAction
{
    /// <summary>Resolve (status <c>resolved</c>).</summary>
    Resolve,

    /// <summary>Archive until escalating (Sentry's default archive).</summary>
    Archive,
}
