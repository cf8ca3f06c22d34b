using System.Collections.Concurrent;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.RateLimits;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Admission;

/// <summary>
/// The quotas that apply to a DSN key's items, as Sentry's <c>get_quotas</c> builds them: the key's
/// <c>rateLimit</c> (<c>key_quota</c>), the project's quota and its share of the organization's quota
/// (<c>project_quota</c>; the share is the project option <c>sentry:project-rate-limit</c>, else the
/// organization's <c>projectRateLimit</c>, else the server's), the organization's quota (<c>org_quota</c>). All count the error categories
/// (<c>default;error;security</c>). An organization or project quota set through the API replaces the
/// server's default (<see cref="RateLimitOptions"/>); the stored ones are cached like the key
/// lookups, dropped when the project grain reports a change and after <see cref="ProjectKeyCache.Lifetime"/>.
/// </summary>
public sealed class QuotaResolver
{
    private readonly ConcurrentDictionary<(string Scope, long Id), Stored> _stored = new();
    private readonly ConcurrentDictionary<string, Resolved> _resolved = new(StringComparer.Ordinal);
    private readonly IDirectoryStore _directory;
    private readonly IOptionsMonitor<RateLimitOptions> _options;
    private readonly TimeProvider _time;

    public QuotaResolver(IDirectoryStore directory, IOptionsMonitor<RateLimitOptions> options, ProjectChangeNotifier notifier, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        _directory = directory;
        _options = options;
        _time = time;
        notifier.Changed += _ => Clear();
        options.OnChange(_ => Clear());
    }

    /// <summary>Forgets every cached quota (a quota changed through the API).</summary>
    public void Clear()
    {
        _stored.Clear();
        _resolved.Clear();
    }

    /// <summary>The quotas of <paramref name="key"/>'s items; empty when rate limits are off.</summary>
    public async ValueTask<IReadOnlyList<Quota>> ResolveAsync(ResolvedKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var options = _options.CurrentValue;
        if (!options.Enabled)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        if (_resolved.TryGetValue(key.Key.PublicKey, out var cached) && ReferenceEquals(cached.Key, key) && cached.Expires > now)
        {
            return cached.Quotas;
        }

        var organization = await StoredAsync(ScopeRateLimitRecord.Organization, key.Project.OrganizationId, now, cancellationToken).ConfigureAwait(false);
        var project = await StoredAsync(ScopeRateLimitRecord.Project, key.Project.Id, now, cancellationToken).ConfigureAwait(false);
        var quotas = Build(key.Key, key.Project, organization, project, ProjectRateLimitOption.Instance.Read(key.Options), options);
        _resolved[key.Key.PublicKey] = new Resolved(key, quotas, now + ProjectKeyCache.Lifetime);
        return quotas;
    }

    /// <summary>The quotas for a key, project and the stored overrides (pure: the unit tests' entry).</summary>
    public static Quota[] Build(ProjectKeyRecord key, ProjectRecord project, ScopeRateLimitRecord? organization, ScopeRateLimitRecord? projectOverride, int? projectShare, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(options);
        var org = project.OrganizationId;
        var quotas = new List<Quota>(4);

        // Sentry stores a key limit only with both fields; a window of 0 cannot count, so only a count
        // of 0 (reject all) means anything without one.
        if (key.RateLimitCount is { } keyCount && key.RateLimitWindow is { } keyWindow && (keyCount == 0 || keyWindow > 0))
        {
            quotas.Add(new Quota("k", QuotaScope.Key, key.PublicKey, org, QuotaCategories.Errors, keyCount, Math.Max(1, keyWindow), ReasonCodes.KeyQuota));
        }

        var (projectCount, projectWindow) = Effective(projectOverride, options.Project);
        if (projectCount is { } pc)
        {
            quotas.Add(new Quota("p", QuotaScope.Project, Id(project.Id), org, QuotaCategories.Errors, pc, projectWindow, ReasonCodes.ProjectQuota));
        }

        var (orgCount, orgWindow) = Effective(organization, options.Organization);
        if (orgCount is { } oc)
        {
            // Sentry's get_project_quota: a project may use sentry:project-rate-limit percent of the
            // organization's quota, so one project cannot starve its siblings.
            var share = projectShare ?? organization?.SharePercent ?? options.ProjectSharePercent;
            if (share is > 0 and < 100)
            {
                quotas.Add(new Quota("ps", QuotaScope.Project, Id(project.Id), org, QuotaCategories.Errors, oc * share / 100, orgWindow, ReasonCodes.ProjectQuota));
            }

            quotas.Add(new Quota("o", QuotaScope.Organization, Id(org), org, QuotaCategories.Errors, oc, orgWindow, ReasonCodes.OrgQuota));
        }

        return [.. quotas];
    }

    private static (long? Count, long Window) Effective(ScopeRateLimitRecord? stored, QuotaSetting? setting) =>
        stored is { Count: { } count, Window: { } window }
            ? (count, Math.Max(1, window))
            : (setting?.Count, Math.Max(1, setting?.Window ?? QuotaSetting.DefaultWindow));

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async ValueTask<ScopeRateLimitRecord?> StoredAsync(string scope, long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_stored.TryGetValue((scope, id), out var stored) && stored.Expires > now)
        {
            return stored.Record;
        }

        var record = await _directory.GetRateLimitAsync(scope, id, cancellationToken).ConfigureAwait(false);
        _stored[(scope, id)] = new Stored(record, now + ProjectKeyCache.Lifetime);
        return record;
    }

    private sealed record Stored(ScopeRateLimitRecord? Record, DateTimeOffset Expires);

    private sealed record Resolved(ResolvedKey Key, Quota[] Quotas, DateTimeOffset Expires);
}
