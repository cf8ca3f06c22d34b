using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Filters;

/// <summary>
/// Sentry's inbound filter toggles: <c>GET /api/0/projects/{org}/{project}/filters/</c> (the list with
/// each filter's state, sorted by name) and <c>PUT …/filters/{filter_id}/</c> with <c>{"active": bool}</c>
/// or, for <c>legacy-browsers</c>, <c>{"subfilters": [...]}</c>. Reads and writes go through
/// <see cref="InboundFilterSettings"/> (as the dashboard's filters page does).
/// </summary>
internal static class FilterEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/filters/", ListAsync);
        api.MapPut("/projects/{org}/{project}/filters/{filterId}/", UpdateAsync);
    }

    private static async Task<IResult> ListAsync(string org, string project, ApiDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var options = await grains.GetGrain<IProjectGrain>(record.Id).GetOptionsAsync();
        var list = new JsonArray([.. InboundFilterSettings.List(options).Select(f => (JsonNode?)f.ToJson())]);
        return ApiResults.Json(list, ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> UpdateAsync(string org, string project, string filterId, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var option = InboundFilterSettings.Option(filterId) ?? throw ApiException.NotFound();
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);

        string input;
        string field;
        if (option is LegacyBrowsersOption && body.TryGetProperty("subfilters", out var subfilters) && subfilters.ValueKind != JsonValueKind.Null)
        {
            if (subfilters.ValueKind != JsonValueKind.Array)
            {
                return FieldError("subfilters", "Expected a list of items.");
            }

            (input, field) = (subfilters.GetRawText(), "subfilters");
        }
        else if (JsonBody.Boolean(body, "active") is { } active)
        {
            (input, field) = (active ? "true" : "false", "active");
        }
        else
        {
            return FieldError("active", "This field is required.");
        }

        var error = await InboundFilterSettings.UpdateAsync(grains.GetGrain<IProjectGrain>(record.Id), option, input, log.Logger, organization.Slug, record.Slug);
        if (error is not null)
        {
            return FieldError(field, error);
        }

        // Sentry has answered 201, 204 and 200 here over the years; its newest tests expect 204.
        return Results.NoContent();
    }

    private static IResult FieldError(string field, string message) =>
        ApiResults.Json(new JsonObject { [field] = new JsonArray(JsonValue.Create(message)) }, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
}
