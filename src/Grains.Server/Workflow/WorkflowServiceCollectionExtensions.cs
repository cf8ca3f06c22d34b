using Grains.Monitoring.Issues.Workflow;
using Microsoft.Extensions.Options;

namespace Grains.Server.Workflow;

/// <summary>Registers the issue workflow: its options (<c>Grains:Workflow</c>, validated at start) and the scheduler's start.</summary>
public static class WorkflowServiceCollectionExtensions
{
    public static IServiceCollection AddIssueWorkflow(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkflowOptions>, WorkflowOptionsValidator>();
        services.AddHostedService<WorkflowSchedulerStarter>();
        return services;
    }
}
