using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Issues.Workflow;

/// <summary>Validates <see cref="WorkflowOptions"/> at start.</summary>
public sealed class WorkflowOptionsValidator : IValidateOptions<WorkflowOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.OngoingAfter <= TimeSpan.Zero)
        {
            failures.Add($"{WorkflowOptions.SectionName}:OngoingAfter must be positive.");
        }

        if (options.ScanPeriod < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{WorkflowOptions.SectionName}:ScanPeriod must be at least one second.");
        }

        if (options.ScanBatch is < 1 or > 10_000)
        {
            failures.Add($"{WorkflowOptions.SectionName}:ScanBatch must be between 1 and 10000.");
        }

        if (!(options.EscalationFactor >= 1) || double.IsInfinity(options.EscalationFactor))
        {
            failures.Add($"{WorkflowOptions.SectionName}:EscalationFactor must be a finite number of at least 1.");
        }

        if (options.EscalationFloor < 1)
        {
            failures.Add($"{WorkflowOptions.SectionName}:EscalationFloor must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
