using Microsoft.Extensions.Logging;

namespace Grains.Monitoring.SpikeProtection;

/// <summary>Spike protection's structured log messages.</summary>
internal static partial class SpikeProtectionLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Spike protection thresholds recomputed for the hour starting {HourStart}: {Thresholds} project categories, {OptedOut} project(s) opted out")]
    public static partial void Refreshed(ILogger logger, int thresholds, int optedOut, DateTimeOffset hourStart);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Spike protection for project {ProjectId} is now {Enabled}")]
    public static partial void Switched(ILogger logger, long projectId, bool enabled);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Reading the spike protection switch of project {ProjectId} failed")]
    public static partial void SwitchReloadFailed(ILogger logger, Exception exception, long projectId);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Spike protection is dropping {Category} items of project {ProjectId} (organization {OrganizationId}) over its threshold of {Threshold} for the hour starting {HourStart}")]
    public static partial void Dropping(ILogger logger, string category, long projectId, long organizationId, long? threshold, DateTimeOffset hourStart);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Recomputing the spike protection thresholds failed; the previous ones stay")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);
}
