namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// The project options Grains knows: the project grain refuses any other key, and the project API
/// accepts and echoes those marked <see cref="IProjectOption.InProjectDetails"/>. To add an option,
/// write its class (a validator of its own) and list it here.
/// </summary>
public sealed class ProjectOptionRegistry
{
    public static ProjectOptionRegistry Default { get; } = new(
    [
        // Inbound filters (issue 11 §4).
        BlacklistedIpsOption.Instance,
        ReleasesFilterOption.Instance,
        ErrorMessagesFilterOption.Instance,
        FilterToggleOption.Localhost,
        FilterToggleOption.BrowserExtensions,
        LegacyBrowsersOption.Instance,
        FilterToggleOption.WebCrawlers,

        // Rate limits (issue 11 §1): the project's share of its organization's quota.
        ProjectRateLimitOption.Instance,

        // Spike protection (issue 11 §3).
        SpikeProtectionDisabledOption.Instance,

        // Alert delivery (issue 12 §3): the legacy webhooks and slack plugins, email recipients and digests.
        Alerts.Actions.WebhookUrlsOption.Instance,
        Alerts.Actions.PluginEnabledOption.Webhooks,
        Alerts.Actions.PluginTextOption.SlackWebhook,
        Alerts.Actions.PluginTextOption.SlackChannel,
        Alerts.Actions.PluginTextOption.SlackUsername,
        Alerts.Actions.PluginEnabledOption.Slack,
        Alerts.Actions.AlertRecipientsOption.Instance,
        Alerts.Actions.DigestDelayOption.Minimum,
        Alerts.Actions.DigestDelayOption.Maximum,
    ]);

    private readonly Dictionary<string, IProjectOption> _byKey;

    public ProjectOptionRegistry(IReadOnlyList<IProjectOption> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        All = options;
        _byKey = options.ToDictionary(o => o.Key, StringComparer.Ordinal);
    }

    /// <summary>Every option, in the order the project JSON lists them.</summary>
    public IReadOnlyList<IProjectOption> All { get; }

    public IProjectOption? Find(string key) => _byKey.GetValueOrDefault(key);
}
