using System.Globalization;
using System.Text.Json;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;

namespace Grains.Server.Api.Rules;

/// <summary>
/// Reads and changes a project's issue alert rules: the one code path of the rules API
/// (<see cref="RuleEndpoints"/>) and the dashboard's rule pages. Bodies are validated by
/// <see cref="RuleValidator"/> against the project's enabled services; every change drops the project's
/// cached rules on this silo (<see cref="ProjectChangeNotifier"/>).
/// </summary>
internal sealed partial class RuleCommands(IRuleStore rules, IAlertServiceDirectory services, ProjectChangeNotifier notifier, TimeProvider time, ApiLog log)
{
    /// <summary>The project's rules that are not deleted, newest first.</summary>
    public Task<IReadOnlyList<AlertRule>> ListAsync(ProjectRecord project, CancellationToken cancellationToken) => rules.ListAsync(project.Id, cancellationToken);

    /// <summary>The project's rule <paramref name="ruleId"/> (as written in a path); <see cref="ApiException.NotFound"/> when there is none.</summary>
    public async Task<AlertRule> FindAsync(ProjectRecord project, string ruleId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(ruleId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw ApiException.NotFound();
        }

        return await rules.GetAsync(project.Id, id, cancellationToken) ?? throw ApiException.NotFound();
    }

    /// <summary>The notification services a rule of the project may name (the choices of the service action).</summary>
    public async Task<IReadOnlyList<string>> EnabledServicesAsync(ProjectRecord project, CancellationToken cancellationToken) =>
        await services.EnabledServicesAsync(project.Id, cancellationToken);

    /// <summary>Validates and stores a new rule; the validation's <see cref="RuleValidation.Rule"/> is the stored rule (with its id) when valid.</summary>
    public async Task<RuleValidation> CreateAsync(OrganizationRecord organization, ProjectRecord project, JsonElement body, CancellationToken cancellationToken)
    {
        var validation = await ValidateAsync(project, body, null, cancellationToken);
        if (!validation.IsValid)
        {
            return validation;
        }

        var created = await rules.CreateAsync(validation.Rule! with { DateCreated = Monitoring.Storage.Relational.StoreTime.Truncate(time.GetUtcNow()) }, cancellationToken);
        notifier.Notify(project.Id);
        LogCreated(log.Logger, organization.Slug, project.Slug, created.Id);
        return validation with { Rule = created };
    }

    /// <summary>Validates and replaces <paramref name="existing"/>; <see cref="ApiException.NotFound"/> when it was deleted meanwhile.</summary>
    public async Task<RuleValidation> UpdateAsync(OrganizationRecord organization, ProjectRecord project, AlertRule existing, JsonElement body, CancellationToken cancellationToken)
    {
        var validation = await ValidateAsync(project, body, existing, cancellationToken);
        if (!validation.IsValid)
        {
            return validation;
        }

        if (!await rules.UpdateAsync(validation.Rule!, cancellationToken))
        {
            throw ApiException.NotFound();
        }

        notifier.Notify(project.Id);
        LogUpdated(log.Logger, organization.Slug, project.Slug, existing.Id);
        return validation;
    }

    /// <summary>Deletes <paramref name="rule"/>; <see cref="ApiException.NotFound"/> when it was deleted meanwhile.</summary>
    public async Task DeleteAsync(OrganizationRecord organization, ProjectRecord project, AlertRule rule, CancellationToken cancellationToken)
    {
        if (!await rules.DeleteAsync(project.Id, rule.Id, cancellationToken))
        {
            throw ApiException.NotFound();
        }

        notifier.Notify(project.Id);
        LogDeleted(log.Logger, organization.Slug, project.Slug, rule.Id);
    }

    private async Task<RuleValidation> ValidateAsync(ProjectRecord project, JsonElement body, AlertRule? existing, CancellationToken cancellationToken)
    {
        var check = new RuleNodeCheck(await services.EnabledServicesAsync(project.Id, cancellationToken));
        return RuleValidator.Validate(body, project.Id, check, await rules.ListAsync(project.Id, cancellationToken), existing);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {RuleId} of project {Organization}/{Slug} created")]
    private static partial void LogCreated(ILogger logger, string organization, string slug, long ruleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {RuleId} of project {Organization}/{Slug} updated")]
    private static partial void LogUpdated(ILogger logger, string organization, string slug, long ruleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {RuleId} of project {Organization}/{Slug} deleted")]
    private static partial void LogDeleted(ILogger logger, string organization, string slug, long ruleId);
}
