using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Projects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>Registers issue alert rules (the rule store comes with the monitoring stores of the backend).</summary>
public static class AlertRuleServiceCollectionExtensions
{
    /// <summary>
    /// Registers the silo's <see cref="ProjectRuleCache"/> and, unless one is registered already, the
    /// <see cref="ProjectOptionAlertServiceDirectory"/> as <see cref="IAlertServiceDirectory"/> and the
    /// <see cref="WorkflowLatestReleaseProvider"/> as <see cref="ILatestReleaseProvider"/>.
    /// </summary>
    public static IServiceCollection AddAlertRules(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new ProjectRuleCache(sp.GetRequiredService<IRuleStore>(), sp.GetService<ProjectChangeNotifier>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IAlertServiceDirectory, ProjectOptionAlertServiceDirectory>();
        services.TryAddSingleton<ILatestReleaseProvider>(sp => new WorkflowLatestReleaseProvider(sp.GetService<IWorkflowStore>()));
        return services;
    }
}
