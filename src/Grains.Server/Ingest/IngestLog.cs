namespace Grains.Server.Ingest;

/// <summary>The ingest edge's start-up log messages.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest path warmed up ({Keys} DSN keys resolved) in {Milliseconds:F0} ms")]
    public static partial void WarmedUp(ILogger logger, int keys, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warming up the ingest path failed; the first events pay for it")]
    public static partial void WarmUpFailed(ILogger logger, Exception exception);
}
