using System.Collections.Concurrent;
using Grains.Monitoring.Storage;

namespace Grains.Monitoring.Issues;

/// <summary>
/// Maps an event's grouping hashes to its issue grain: the first hash already linked to an issue
/// wins (implied merge: every hash of the event is then linked to that issue by its grain); when
/// none is linked, the event starts a new issue keyed by its first hash. Results are cached, so a
/// known issue costs no store read.
/// </summary>
public sealed class IssueLocator(IIssueStore issues)
{
    /// <summary>
    /// Entries before the cache is cleared (bounds memory; a miss only costs a store read): 50,000, about
    /// 10 MB. An entry is one grouping hash of a recent event, about 190 B with its key string (measured:
    /// 34,668 entries for 17,000 distinct issues), so the earlier 200,000 held about 40 MB after a flood of
    /// new issues; 50,000 still covers the hashes of some 25,000 recently seen issues.
    /// </summary>
    public const int MaxEntries = 50_000;

    /// <summary>md5 of nothing: the hash of an event that has no grouping material.</summary>
    private const string EmptyHash = "d41d8cd98f00b204e9800998ecf8427e";

    private readonly ConcurrentDictionary<(long ProjectId, string Hash), string> _grainKeys = new();

    public async ValueTask<string> LocateAsync(long projectId, IReadOnlyList<string> hashes, CancellationToken cancellationToken)
    {
        foreach (var hash in hashes)
        {
            if (_grainKeys.TryGetValue((projectId, hash), out var known))
            {
                return known;
            }
        }

        foreach (var hash in hashes)
        {
            if (await issues.FindByHashAsync(projectId, hash, cancellationToken) is { } issueId
                && await issues.GetGrainKeyAsync(issueId, cancellationToken) is { } linked)
            {
                Remember(projectId, hashes, linked);
                return linked;
            }
        }

        var created = $"{projectId}:{(hashes.Count > 0 ? hashes[0] : EmptyHash)}";
        Remember(projectId, hashes, created);
        return created;
    }

    /// <summary>Drops what is cached for a project's hashes (after an issue was deleted).</summary>
    public void Forget(long projectId, IEnumerable<string> hashes)
    {
        foreach (var hash in hashes)
        {
            _grainKeys.TryRemove((projectId, hash), out _);
        }
    }

    private void Remember(long projectId, IReadOnlyList<string> hashes, string grainKey)
    {
        if (_grainKeys.Count > MaxEntries)
        {
            _grainKeys.Clear();
        }

        foreach (var hash in hashes)
        {
            _grainKeys.TryAdd((projectId, hash), grainKey);
        }
    }
}
