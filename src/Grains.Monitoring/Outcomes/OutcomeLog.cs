using Microsoft.Extensions.Logging;

namespace Grains.Monitoring.Outcomes;

/// <summary>The outcomes' structured log messages.</summary>
internal static partial class OutcomeLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Outcome batch {BatchId} was already written (a retried flush); its counts were not added again")]
    public static partial void DuplicateBatch(ILogger logger, Guid batchId);
}
