namespace Grains.Monitoring.Releases;

/// <summary>
/// How one project orders its releases (reference §2.2): by semver when its releases follow semver
/// (the latest <see cref="SemverSample"/> by first seen all parse, as Sentry's
/// <c>follows_semver_versioning_scheme</c> checks its last ten), else by first seen. A release the
/// project has not seen yet (its first event is being applied) is the newest.
/// </summary>
public sealed class ReleaseOrder
{
    /// <summary>How many of the newest releases decide whether a project follows semver.</summary>
    public const int SemverSample = 10;

    private readonly Dictionary<string, DateTimeOffset> _firstSeen;

    public ReleaseOrder(IReadOnlyList<ProjectRelease> releases)
    {
        ArgumentNullException.ThrowIfNull(releases);
        _firstSeen = releases.GroupBy(r => r.Version, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(r => r.FirstSeen), StringComparer.Ordinal);
        var newest = releases.OrderByDescending(r => r.FirstSeen).ThenByDescending(r => r.Version, StringComparer.Ordinal).ToList();
        FollowsSemver = newest.Count > 0 && newest.Take(SemverSample).All(r => SemanticVersion.TryParse(r.Version) is not null);
        Latest = newest.Count == 0 ? null : newest[0].Version;
        Greatest = FollowsSemver
            ? newest.Where(r => SemanticVersion.TryParse(r.Version) is not null).MaxBy(r => SemanticVersion.TryParse(r.Version))!.Version
            : Latest;
    }

    /// <summary>Whether the project's releases follow semver.</summary>
    public bool FollowsSemver { get; }

    /// <summary>The release first seen last (Sentry's "latest release" for a resolution), or null when there is none.</summary>
    public string? Latest { get; }

    /// <summary>The greatest release: by semver when the project follows it, else <see cref="Latest"/>.</summary>
    public string? Greatest { get; }

    /// <summary>Whether the project knows <paramref name="version"/>.</summary>
    public bool Contains(string version) => _firstSeen.ContainsKey(version);

    /// <summary>Negative when <paramref name="left"/> is older than <paramref name="right"/>, 0 when the same, positive when newer.</summary>
    public int Compare(string left, string right)
    {
        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return 0;
        }

        if (FollowsSemver && SemanticVersion.TryParse(left) is { } a && SemanticVersion.TryParse(right) is { } b)
        {
            return a.CompareTo(b);
        }

        var known = (_firstSeen.TryGetValue(left, out var l), _firstSeen.TryGetValue(right, out var r));
        return known switch
        {
            (true, true) => l != r ? l.CompareTo(r) : string.CompareOrdinal(left, right),
            (false, true) => 1,
            (true, false) => -1,
            _ => 0,
        };
    }
}
