using System.Collections.Immutable;
using Grains.Ingestion.Envelopes;

namespace Grains.Monitoring.RateLimits;

/// <summary>Category sets quotas use.</summary>
public static class QuotaCategories
{
    /// <summary>
    /// Sentry's <c>DataCategory.error_categories()</c>: what a key, project or organization event quota
    /// counts. In Relay's order, which is the order of the <c>X-Sentry-Rate-Limits</c> header
    /// (<c>default;error;security</c>).
    /// </summary>
    public static readonly ImmutableArray<DataCategory> Errors = [DataCategory.Default, DataCategory.Error, DataCategory.Security];

    /// <summary>No categories: the quota counts every item (and its limit blocks everything, client reports included).</summary>
    public static readonly ImmutableArray<DataCategory> All = [];

    /// <summary>The categories joined with <c>;</c>, as the header and the bucket key write them.</summary>
    public static string Join(ImmutableArray<DataCategory> categories) => string.Join(';', categories.Select(c => c.Name));
}
