namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>The issue page's log lines (a separate file: the logging generator does not see Razor's generated code).</summary>
internal static partial class IssuePageLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Issue page {IssueId}: looking for changes failed; trying again on the next tick")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, string issueId);
}
