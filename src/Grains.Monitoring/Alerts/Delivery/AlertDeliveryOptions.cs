namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// How alert firings are delivered (configuration section <c>Grains:Alerts:Delivery</c>, e.g.
/// <c>Grains__Alerts__Delivery__MaxAttempts</c>).
/// </summary>
public sealed class AlertDeliveryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:Alerts:Delivery";

    /// <summary>
    /// Default <see cref="MaxAttempts"/>: 8. With the default back-off the last attempt comes about
    /// 20 minutes after the first: enough to ride out a receiver's deploy or a short outage, short
    /// enough that a dead letter is seen the same hour.
    /// </summary>
    public const int DefaultMaxAttempts = 8;

    /// <summary>Default <see cref="InitialBackoff"/>: 5 s before the first retry (doubled per attempt).</summary>
    public static readonly TimeSpan DefaultInitialBackoff = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="MaxBackoff"/>: 10 minutes, so a long outage is still retried a few times an hour.</summary>
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Default <see cref="Timeout"/>: 3 s per attempt, Sentry's <c>SENTRY_WEBHOOK_TIMEOUT</c>: a receiver
    /// that does not answer holds one of the project's parallel slots no longer than this.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Default <see cref="SweepPeriod"/>: 15 s. Each silo looks this often for projects with due
    /// deliveries (firings recorded before a crash, retries whose timer was lost with a deactivated
    /// deliverer); the normal path is woken at once and does not wait for it.
    /// </summary>
    public static readonly TimeSpan DefaultSweepPeriod = TimeSpan.FromSeconds(15);

    /// <summary>Default <see cref="MaxParallel"/>: 8 sends at once per project, so one slow receiver cannot hold back the others.</summary>
    public const int DefaultMaxParallel = 8;

    /// <summary>Default <see cref="Retention"/>: delivered rows are kept 7 days (for the API), then pruned.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// Default <see cref="DigestMinimumDelay"/>: zero, one email per firing at once. A project sets
    /// Sentry's <c>digests:mail:minimum_delay</c> (seconds) to batch a burst into one email; this is the
    /// server-wide default for projects that do not.
    /// </summary>
    public static readonly TimeSpan DefaultDigestMinimumDelay = TimeSpan.Zero;

    /// <summary>Default <see cref="DigestMaximumDelay"/>: 30 minutes (Sentry's default): no firing waits longer for its digest.</summary>
    public static readonly TimeSpan DefaultDigestMaximumDelay = TimeSpan.FromMinutes(30);

    /// <summary>Attempts before a delivery is dead-lettered. Default <see cref="DefaultMaxAttempts"/>.</summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>The delay before the first retry; doubled for each later one, with jitter. Default <see cref="DefaultInitialBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = DefaultInitialBackoff;

    /// <summary>The longest delay between two attempts. Default <see cref="DefaultMaxBackoff"/>.</summary>
    public TimeSpan MaxBackoff { get; set; } = DefaultMaxBackoff;

    /// <summary>How long one attempt (HTTP request or SMTP session) may take. Default <see cref="DefaultTimeout"/>.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>How often each silo looks for due deliveries. Default <see cref="DefaultSweepPeriod"/>.</summary>
    public TimeSpan SweepPeriod { get; set; } = DefaultSweepPeriod;

    /// <summary>Most sends in flight per project. Default <see cref="DefaultMaxParallel"/>.</summary>
    public int MaxParallel { get; set; } = DefaultMaxParallel;

    /// <summary>How long delivered rows are kept. Default <see cref="DefaultRetention"/>.</summary>
    public TimeSpan Retention { get; set; } = DefaultRetention;

    /// <summary>The digest delay of projects without <c>digests:mail:minimum_delay</c>. Default <see cref="DefaultDigestMinimumDelay"/>.</summary>
    public TimeSpan DigestMinimumDelay { get; set; } = DefaultDigestMinimumDelay;

    /// <summary>The digest cap of projects without <c>digests:mail:maximum_delay</c>. Default <see cref="DefaultDigestMaximumDelay"/>.</summary>
    public TimeSpan DigestMaximumDelay { get; set; } = DefaultDigestMaximumDelay;

    /// <summary>
    /// The server's public URL (links in payloads: <c>{PublicUrl}/organizations/{org}/issues/{id}/</c>).
    /// The server fills it from <c>Grains:PublicUrl</c> (else its listening URL).
    /// </summary>
    public string PublicUrl { get; set; } = "http://localhost:8000";
}
