using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;
using Microsoft.Extensions.Options;

namespace Grains.Server.Workflow;

/// <summary>
/// Registers the issue workflow: its options (<c>Grains:Workflow</c>, validated at start), the silo's
/// <see cref="ReleaseWriteFilter"/> (<c>Grains:Workflow:ReleaseWrites</c>) and the scheduler's start.
/// </summary>
public static class WorkflowServiceCollectionExtensions
{
    public static IServiceCollection AddIssueWorkflow(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkflowOptions>, WorkflowOptionsValidator>();
        services.AddOptions<ReleaseWriteFilterOptions>().BindConfiguration(ReleaseWriteFilterOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReleaseWriteFilterOptions>, ReleaseWriteFilterOptionsValidator>();
        services.AddSingleton(sp => new ReleaseWriteFilter(sp.GetRequiredService<IOptions<ReleaseWriteFilterOptions>>().Value, sp.GetService<TimeProvider>()));
        services.AddHostedService<WorkflowSchedulerStarter>();
        return services;
    }
}
