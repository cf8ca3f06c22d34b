using System.Collections.Concurrent;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Fingerprinting;
using Grains.Monitoring.Storage;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// The grouping config of a project, for re-deriving an event's metadata and grouping info on
/// request (the ingest edge stores only the config id and hashes). Parsed rule sets are cached by
/// their text, since most projects share the defaults and rules change rarely.
/// </summary>
internal sealed partial class ProjectGrouping(ApiLog log)
{
    // A few distinct rule texts per project over its life; the bound only guards against churn.
    private const int MaxCached = 256;

    private readonly ConcurrentDictionary<(string StackTraceRules, string FingerprintRules), GroupingConfig> _cache = new();

    public GroupingConfig For(ProjectRecord project)
    {
        if (project.StackTraceRules.Length == 0 && project.FingerprintRules.Length == 0)
        {
            return GroupingConfig.Default;
        }

        var key = (project.StackTraceRules, project.FingerprintRules);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        GroupingConfig config;
        try
        {
            config = GroupingConfig.ForProject(project.StackTraceRules, project.FingerprintRules);
        }
        catch (Exception e) when (e is EnhancementParseException or FingerprintParseException)
        {
            // Rules are validated when saved; a stored bad rule must not break reading events (ingest falls back the same way).
            LogInvalidRules(log.Logger, e, project.Id);
            return GroupingConfig.Default;
        }

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        return _cache[key] = config;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId} has invalid grouping rules; showing events with the default grouping")]
    private static partial void LogInvalidRules(ILogger logger, Exception exception, long projectId);
}
