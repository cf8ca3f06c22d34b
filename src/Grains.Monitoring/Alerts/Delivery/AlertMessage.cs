using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// What a channel sends in one attempt: one delivery (webhooks, Slack, a single email), or several
/// email deliveries of one project batched into a digest.
/// </summary>
/// <param name="Project">The project.</param>
/// <param name="OrganizationSlug">Its organization's slug (for links).</param>
/// <param name="Options">The project's options when the attempt started (plugin settings, recipients).</param>
/// <param name="Items">The deliveries with their firings, oldest first.</param>
public sealed record AlertMessage(
    ProjectRecord Project,
    string OrganizationSlug,
    ProjectOptions Options,
    IReadOnlyList<(AlertDelivery Delivery, AlertFiring Firing)> Items);
