using System.Collections.Immutable;
using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.RateLimits;

/// <summary>
/// One quota (Relay's <c>QuotaConfig</c>): at most <see cref="Limit"/> items of <see cref="Categories"/>
/// per fixed window of <see cref="WindowSeconds"/> in one scope. A limit of 0 rejects everything
/// without counting; the organization id spreads window starts (<see cref="QuotaWindow"/>).
/// </summary>
/// <param name="Id">Short quota id, part of the bucket's identity (<c>k</c> for a key's, as Sentry).</param>
/// <param name="Scope">What the quota counts.</param>
/// <param name="ScopeId">The key's public key, the project id or the organization id.</param>
/// <param name="OrganizationId">The organization, for the window shift.</param>
/// <param name="Categories">The categories counted; empty means all.</param>
/// <param name="Limit">Items (bytes for attachments) per window; 0 rejects all.</param>
/// <param name="WindowSeconds">The window length, at least 1.</param>
/// <param name="ReasonCode">Relay's reason code written into the header and outcomes.</param>
public sealed record Quota(
    string Id,
    QuotaScope Scope,
    string ScopeId,
    long OrganizationId,
    ImmutableArray<DataCategory> Categories,
    long Limit,
    long WindowSeconds,
    string ReasonCode)
{
    /// <summary>Whether items of <paramref name="category"/> count against this quota.</summary>
    public bool Matches(DataCategory category) => Categories.IsEmpty || Categories.Contains(category);

    /// <summary>The scope as Relay writes it in <c>X-Sentry-Rate-Limits</c>.</summary>
    public string ScopeName => Scope switch
    {
        QuotaScope.Organization => "organization",
        QuotaScope.Project => "project",
        _ => "key",
    };

    /// <summary>
    /// The bucket's grain key: <c>{scope}:{scope id}:{categories}:{quota id}</c>. The categories are the
    /// quota's set, not one category: Relay counts one quota in one counter across its categories, so
    /// an error and a security report share the key's budget.
    /// </summary>
    public string BucketKey => $"{ScopeName}:{ScopeId}:{QuotaCategories.Join(Categories)}:{Id}";

    /// <summary>The fixed window of this quota.</summary>
    public QuotaWindow Window => new(WindowSeconds, OrganizationId);
}
