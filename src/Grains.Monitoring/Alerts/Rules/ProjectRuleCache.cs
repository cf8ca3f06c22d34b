using System.Collections.Concurrent;
using Grains.Monitoring.Alerts.Evaluation;
using Grains.Monitoring.Projects;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// Each silo's cache of the projects' active rules, compiled, for the issue grains' turns: a project
/// costs one store read per <see cref="Lifetime"/>, and a project without rules a dictionary lookup.
/// A change through the API on this silo drops the entry at once (<see cref="ProjectChangeNotifier"/>);
/// on other silos it is seen within <see cref="Lifetime"/>, the bound that project option and key
/// changes have at the ingest edge (<c>ProjectKeyCache.Lifetime</c>, also 30 s). Sentry caches a
/// project's rules for about 60 s.
/// </summary>
public sealed class ProjectRuleCache
{
    /// <summary>How long an entry is trusted without a change notification.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly IRuleStore _store;
    private readonly TimeProvider _time;

    public ProjectRuleCache(IRuleStore store, ProjectChangeNotifier? notifier = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
        if (notifier is not null)
        {
            notifier.Changed += Invalidate;
        }
    }

    /// <summary>Store reads so far (for tests and the measurements).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    private long _loads;

    /// <summary>The project's active rules, compiled, newest first.</summary>
    public ValueTask<IReadOnlyList<CompiledRule>> GetAsync(long projectId, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(projectId, out var entry) && entry.Expires > _time.GetUtcNow())
        {
            return ValueTask.FromResult(entry.Rules);
        }

        return new ValueTask<IReadOnlyList<CompiledRule>>(LoadAsync(projectId, cancellationToken));
    }

    /// <summary>Drops the project's entry (its rules changed).</summary>
    public void Invalidate(long projectId) => _entries.TryRemove(projectId, out _);

    private async Task<IReadOnlyList<CompiledRule>> LoadAsync(long projectId, CancellationToken cancellationToken)
    {
        // Taken before the read: a change notified while reading leaves an entry that expires at once.
        var started = _time.GetUtcNow();
        var version = new object();
        _entries[projectId] = new Entry([], DateTimeOffset.MinValue, version);
        Interlocked.Increment(ref _loads);
        var stored = await _store.ListAsync(projectId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<CompiledRule> rules = stored.Count == 0
            ? []
            : stored.Where(r => r.Status == RuleStatus.Active).Select(CompiledRule.Compile).ToArray();

        // Only if no invalidation removed the placeholder meanwhile.
        if (_entries.TryGetValue(projectId, out var placeholder) && ReferenceEquals(placeholder.Version, version))
        {
            _entries.TryUpdate(projectId, new Entry(rules, started + Lifetime, version), placeholder);
        }

        return rules;
    }

    private sealed record Entry(IReadOnlyList<CompiledRule> Rules, DateTimeOffset Expires, object Version);
}
