namespace Grains.Monitoring.RateLimits;

/// <summary>
/// Relay's reason codes for rate-limited items: written into <c>X-Sentry-Rate-Limits</c> and recorded
/// with the <c>rate_limited</c> outcomes.
/// </summary>
public static class ReasonCodes
{
    /// <summary>A DSN key's own rate limit (<c>rateLimit</c> of the key).</summary>
    public const string KeyQuota = "key_quota";

    /// <summary>A project's quota, or its share of the organization's (<c>sentry:project-rate-limit</c>).</summary>
    public const string ProjectQuota = "project_quota";

    /// <summary>The organization's quota.</summary>
    public const string OrgQuota = "org_quota";

    /// <summary>Spike protection: the project's hourly threshold for the category.</summary>
    public const string SmartRateLimit = "smart_rate_limit";
}
