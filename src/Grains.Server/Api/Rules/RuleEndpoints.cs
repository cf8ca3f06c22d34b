using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Projects;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Rules;

/// <summary>
/// Sentry's issue alert rules: <c>GET/POST /api/0/projects/{org}/{project}/rules/</c> and
/// <c>GET/PUT/DELETE …/rules/{rule_id}/</c> (api-shapes §e), through <see cref="RuleCommands"/> (as the
/// dashboard's rule pages). Every change drops the project's cached rules on this silo
/// (<see cref="ProjectChangeNotifier"/>); other silos see it within <see cref="ProjectRuleCache.Lifetime"/>.
/// </summary>
internal static class RuleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/rules/", ListAsync);
        api.MapPost("/projects/{org}/{project}/rules/", CreateAsync);
        api.MapGet("/projects/{org}/{project}/rules/{ruleId}/", GetAsync);
        api.MapPut("/projects/{org}/{project}/rules/{ruleId}/", UpdateAsync);
        api.MapDelete("/projects/{org}/{project}/rules/{ruleId}/", DeleteAsync);
    }

    /// <summary>Sentry's 400 body for an invalid rule: field → messages (<c>ruleId</c> holds the duplicate's id as a number).</summary>
    public static JsonObject ErrorBody(RuleValidation validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var body = new JsonObject();
        foreach (var (field, messages) in validation.Errors)
        {
            body[field] = new JsonArray([.. messages.Select(m => m switch
            {
                long id => JsonValue.Create(id),
                _ => (JsonNode?)JsonValue.Create(m.ToString()),
            })]);
        }

        return body;
    }

    private static async Task<IResult> ListAsync(string org, string project, ApiDirectory directory, RuleCommands rules, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var list = await rules.ListAsync(record, cancellationToken);
        return ApiResults.Json(new JsonArray([.. list.Select(r => (JsonNode)RuleSerializer.Rule(r, record))]), ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> CreateAsync(string org, string project, HttpContext http, ApiDirectory directory, RuleCommands rules, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var validation = await rules.CreateAsync(organization, record, body, cancellationToken);

        // Sentry's code answers 200 with the rule (its API docs say 201).
        return validation.IsValid
            ? ApiResults.Json(RuleSerializer.Rule(validation.Rule!, record), ApiJsonContext.Default.JsonObject)
            : Errors(validation);
    }

    private static async Task<IResult> GetAsync(string org, string project, string ruleId, ApiDirectory directory, RuleCommands rules, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var rule = await rules.FindAsync(record, ruleId, cancellationToken);
        return ApiResults.Json(RuleSerializer.Rule(rule, record), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> UpdateAsync(string org, string project, string ruleId, HttpContext http, ApiDirectory directory, RuleCommands rules, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var existing = await rules.FindAsync(record, ruleId, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var validation = await rules.UpdateAsync(organization, record, existing, body, cancellationToken);
        return validation.IsValid
            ? ApiResults.Json(RuleSerializer.Rule(validation.Rule!, record), ApiJsonContext.Default.JsonObject)
            : Errors(validation);
    }

    private static async Task<IResult> DeleteAsync(string org, string project, string ruleId, ApiDirectory directory, RuleCommands rules, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var rule = await rules.FindAsync(record, ruleId, cancellationToken);
        await rules.DeleteAsync(organization, record, rule, cancellationToken);

        // Sentry schedules the deletion and answers 202 Accepted without a body.
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static IResult Errors(RuleValidation validation) =>
        ApiResults.Json(ErrorBody(validation), ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
}
