using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Projects;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// <see cref="IAlertServiceDirectory"/> by the plugins' own options (<see cref="AlertDestinations.EnabledPlugins"/>):
/// <c>webhooks</c> when enabled with at least one URL (<c>webhooks:urls</c> is stored as a list),
/// <c>slack</c> when enabled with a webhook. Delivery registers it ahead of the rules' default.
/// </summary>
public sealed class PluginAlertServiceDirectory(IGrainFactory grains) : IAlertServiceDirectory
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> EnabledServicesAsync(long projectId, CancellationToken cancellationToken = default) =>
        AlertDestinations.EnabledPlugins(await grains.GetGrain<IProjectGrain>(projectId).GetOptionsAsync().ConfigureAwait(false));
}
