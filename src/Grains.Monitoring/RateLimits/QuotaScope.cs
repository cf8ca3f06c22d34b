namespace Grains.Monitoring.RateLimits;

/// <summary>What a quota counts: one DSN key, one project, or a whole organization (Relay's <c>QuotaScope</c>).</summary>
public enum QuotaScope
{
    Organization,
    Project,
    Key,
}
