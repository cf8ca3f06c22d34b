using System.Collections.Concurrent;
using Grains.Monitoring.Filters;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;

namespace Grains.Server.Ingest;

/// <summary>
/// The edge's cache of DSN key lookups (key → project → grouping config, options and compiled inbound
/// filters), so authenticating and filtering an event
/// costs no store read. Entries are dropped when the project grain reports a change, and expire
/// after <see cref="Lifetime"/> in any case (other silos' changes). Unknown keys are cached too, so a
/// flood with a bad key does not reach the store.
/// </summary>
public sealed class ProjectKeyCache
{
    /// <summary>How long an entry is trusted without a change notification.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IDirectoryStore _directory;
    private readonly TimeProvider _time;
    private readonly ILogger<ProjectKeyCache> _logger;

    public ProjectKeyCache(IDirectoryStore directory, ProjectChangeNotifier notifier, TimeProvider time, ILogger<ProjectKeyCache> logger)
    {
        _directory = directory;
        _time = time;
        _logger = logger;
        notifier.Changed += projectId =>
        {
            foreach (var (publicKey, entry) in _entries)
            {
                if (entry.Resolved is null || entry.Resolved.Project.Id == projectId)
                {
                    _entries.TryRemove(publicKey, out _);
                }
            }
        };
    }

    /// <summary>The key with its project, or null when the key is unknown.</summary>
    public async ValueTask<ResolvedKey?> ResolveAsync(string publicKey, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(publicKey, out var cached) && cached.Expires > now)
        {
            return cached.Resolved;
        }

        var resolved = await LoadAsync(publicKey, cancellationToken);
        _entries[publicKey] = new Entry(resolved, now + Lifetime);
        return resolved;
    }

    private async Task<ResolvedKey?> LoadAsync(string publicKey, CancellationToken cancellationToken)
    {
        var key = await _directory.FindKeyAsync(publicKey, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var project = await _directory.GetProjectAsync(key.ProjectId, cancellationToken);
        if (project is null)
        {
            return null;
        }

        GroupingConfig grouping;
        try
        {
            grouping = GroupingConfig.ForProject(project.StackTraceRules, project.FingerprintRules);
        }
        catch (Exception exception)
        {
            // Rules are validated when saved; a stored bad rule must not stop ingestion.
            _logger.LogError(exception, "Project {ProjectId} has invalid grouping rules; grouping with the defaults", project.Id);
            grouping = GroupingConfig.Default;
        }

        var options = ProjectOptions.From(await _directory.GetProjectOptionsAsync(project.Id, cancellationToken));
        InboundFilters filters;
        try
        {
            filters = InboundFilters.Compile(options);
        }
        catch (Exception exception)
        {
            // Options are validated when saved; a stored bad one must not stop ingestion.
            _logger.LogError(exception, "Project {ProjectId} has invalid inbound filter options; filtering nothing", project.Id);
            filters = InboundFilters.None;
        }

        return new ResolvedKey(key, project, grouping) { Options = options, Filters = filters };
    }

    private sealed record Entry(ResolvedKey? Resolved, DateTimeOffset Expires);
}
