using System.Globalization;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Rules;

/// <summary>
/// Sentry's issue alert rules: <c>GET/POST /api/0/projects/{org}/{project}/rules/</c> and
/// <c>GET/PUT/DELETE …/rules/{rule_id}/</c> (api-shapes §e). Every change drops the project's cached
/// rules on this silo (<see cref="ProjectChangeNotifier"/>); other silos see it within
/// <see cref="ProjectRuleCache.Lifetime"/>.
/// </summary>
internal static partial class RuleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/rules/", ListAsync);
        api.MapPost("/projects/{org}/{project}/rules/", CreateAsync);
        api.MapGet("/projects/{org}/{project}/rules/{ruleId}/", GetAsync);
        api.MapPut("/projects/{org}/{project}/rules/{ruleId}/", UpdateAsync);
        api.MapDelete("/projects/{org}/{project}/rules/{ruleId}/", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(string org, string project, ApiDirectory directory, IRuleStore rules, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var list = await rules.ListAsync(record.Id, cancellationToken);
        return ApiResults.Json(new JsonArray([.. list.Select(r => (JsonNode)RuleSerializer.Rule(r, record))]), ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> CreateAsync(
        string org, string project, HttpContext http, ApiDirectory directory, IRuleStore rules, IAlertServiceDirectory services,
        ProjectChangeNotifier notifier, TimeProvider time, ApiLog log, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var check = new RuleNodeCheck(await services.EnabledServicesAsync(record.Id, cancellationToken));
        var validation = RuleValidator.Validate(body, record.Id, check, await rules.ListAsync(record.Id, cancellationToken));
        if (!validation.IsValid)
        {
            return Errors(validation);
        }

        var created = await rules.CreateAsync(validation.Rule! with { DateCreated = Monitoring.Storage.Relational.StoreTime.Truncate(time.GetUtcNow()) }, cancellationToken);
        notifier.Notify(record.Id);
        LogCreated(log.Logger, organization.Slug, record.Slug, created.Id);

        // Sentry's code answers 200 with the rule (its API docs say 201).
        return ApiResults.Json(RuleSerializer.Rule(created, record), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> GetAsync(string org, string project, string ruleId, ApiDirectory directory, IRuleStore rules, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var rule = await FindAsync(rules, record, ruleId, cancellationToken);
        return ApiResults.Json(RuleSerializer.Rule(rule, record), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> UpdateAsync(
        string org, string project, string ruleId, HttpContext http, ApiDirectory directory, IRuleStore rules, IAlertServiceDirectory services,
        ProjectChangeNotifier notifier, ApiLog log, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var existing = await FindAsync(rules, record, ruleId, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var check = new RuleNodeCheck(await services.EnabledServicesAsync(record.Id, cancellationToken));
        var validation = RuleValidator.Validate(body, record.Id, check, await rules.ListAsync(record.Id, cancellationToken), existing);
        if (!validation.IsValid)
        {
            return Errors(validation);
        }

        if (!await rules.UpdateAsync(validation.Rule!, cancellationToken))
        {
            throw ApiException.NotFound();
        }

        notifier.Notify(record.Id);
        LogUpdated(log.Logger, organization.Slug, record.Slug, existing.Id);
        return ApiResults.Json(RuleSerializer.Rule(validation.Rule!, record), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> DeleteAsync(string org, string project, string ruleId, ApiDirectory directory, IRuleStore rules, ProjectChangeNotifier notifier, ApiLog log, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var rule = await FindAsync(rules, record, ruleId, cancellationToken);
        if (!await rules.DeleteAsync(record.Id, rule.Id, cancellationToken))
        {
            throw ApiException.NotFound();
        }

        notifier.Notify(record.Id);
        LogDeleted(log.Logger, organization.Slug, record.Slug, rule.Id);

        // Sentry schedules the deletion and answers 202 Accepted without a body.
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<AlertRule> FindAsync(IRuleStore rules, ProjectRecord project, string ruleId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(ruleId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw ApiException.NotFound();
        }

        return await rules.GetAsync(project.Id, id, cancellationToken) ?? throw ApiException.NotFound();
    }

    private static IResult Errors(RuleValidation validation)
    {
        var body = new JsonObject();
        foreach (var (field, messages) in validation.Errors)
        {
            body[field] = new JsonArray([.. messages.Select(m => m switch
            {
                long id => JsonValue.Create(id),
                _ => (JsonNode?)JsonValue.Create(m.ToString()),
            })]);
        }

        return ApiResults.Json(body, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {RuleId} of project {Organization}/{Slug} created")]
    private static partial void LogCreated(ILogger logger, string organization, string slug, long ruleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {RuleId} of project {Organization}/{Slug} updated")]
    private static partial void LogUpdated(ILogger logger, string organization, string slug, long ruleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {RuleId} of project {Organization}/{Slug} deleted")]
    private static partial void LogDeleted(ILogger logger, string organization, string slug, long ruleId);
}
