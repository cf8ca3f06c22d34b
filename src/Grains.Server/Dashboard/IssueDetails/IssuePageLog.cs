namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>The issue page's log lines (a separate file: the logging generator does not see Razor's generated code).</summary>
internal static partial class IssuePageLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue page {IssueId}: refreshing after a change failed; the page keeps what it shows until the next change")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, string issueId);
}
