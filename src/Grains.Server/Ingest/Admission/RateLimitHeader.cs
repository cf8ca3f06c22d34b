using System.Globalization;
using System.Text;

namespace Grains.Server.Ingest.Admission;

/// <summary>
/// <c>X-Sentry-Rate-Limits</c> as Relay writes it (<c>format_rate_limits</c>): limits joined by
/// <c>", "</c>, each <c>retry_after:categories:scope:reason_code</c> with the categories joined by
/// <c>;</c> (empty for all) and whole seconds, since the .NET and Python SDKs parse integers only.
/// </summary>
public static class RateLimitHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "X-Sentry-Rate-Limits";

    /// <summary>Relay's 429 body detail (<c>ApiErrorResponse</c>).</summary>
    public const string Detail = "Sentry dropped data due to a quota or internal rate limit being reached. This will not affect your application. See https://docs.sentry.io/product/accounts/quotas/ for more information.";

    /// <summary>The header value for <paramref name="limits"/>.</summary>
    public static string Format(IReadOnlyList<ActiveRateLimit> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var text = new StringBuilder();
        foreach (var limit in limits)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(limit.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)).Append(':');
            for (var i = 0; i < limit.Quota.Categories.Length; i++)
            {
                text.Append(i == 0 ? "" : ";").Append(limit.Quota.Categories[i].Name);
            }

            text.Append(':').Append(limit.Quota.ScopeName).Append(':').Append(limit.Quota.ReasonCode);
        }

        return text.ToString();
    }

    /// <summary><c>Retry-After</c>: the longest of the limits, in seconds.</summary>
    public static long RetryAfter(IReadOnlyList<ActiveRateLimit> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.Count == 0 ? 0 : limits.Max(l => l.RetryAfterSeconds);
    }

    /// <summary>
    /// Adds <paramref name="limit"/> to <paramref name="limits"/>, merging it with one of the same
    /// categories, scope and reason (keeping the longer retry), as Relay's <c>RateLimits::add</c>.
    /// </summary>
    public static void Merge(List<ActiveRateLimit> limits, ActiveRateLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(limit);
        for (var i = 0; i < limits.Count; i++)
        {
            var existing = limits[i].Quota;
            if (existing.Scope == limit.Quota.Scope && existing.ScopeId == limit.Quota.ScopeId && existing.ReasonCode == limit.Quota.ReasonCode
                && existing.Categories.SequenceEqual(limit.Quota.Categories))
            {
                if (limit.RetryAfterSeconds > limits[i].RetryAfterSeconds)
                {
                    limits[i] = limit;
                }

                return;
            }
        }

        limits.Add(limit);
    }
}
