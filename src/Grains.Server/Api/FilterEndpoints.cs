using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// Sentry's inbound filter toggles: <c>GET /api/0/projects/{org}/{project}/filters/</c> (the list with
/// each filter's state, sorted by name) and <c>PUT …/filters/{filter_id}/</c> with <c>{"active": bool}</c>
/// or, for <c>legacy-browsers</c>, <c>{"subfilters": [...]}</c>. The states are project options, written
/// through the project grain, which tells the ingest edge to recompile the project's filters.
/// </summary>
internal static partial class FilterEndpoints
{
    private const string LegacyBrowsersDescription =
        "Older browsers often give less accurate information, and while they may report valid issues, the context to understand them is incorrect or missing.";

    private const string LegacyBrowsersName = "Filter out known errors from legacy browsers";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/filters/", ListAsync);
        api.MapPut("/projects/{org}/{project}/filters/{filterId}/", UpdateAsync);
    }

    private static async Task<IResult> ListAsync(string org, string project, ApiDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var options = await grains.GetGrain<IProjectGrain>(record.Id).GetOptionsAsync();
        var filters = new List<(string Name, JsonObject Json)>();
        foreach (var toggle in (ReadOnlySpan<FilterToggleOption>)[FilterToggleOption.Localhost, FilterToggleOption.BrowserExtensions, FilterToggleOption.WebCrawlers])
        {
            filters.Add((toggle.Name, Filter(toggle.FilterId, JsonValue.Create(toggle.Read(options)), toggle.Description, toggle.Name)));
        }

        filters.Add((LegacyBrowsersName, Filter(LegacyBrowsersOption.FilterId, LegacyBrowsersOption.Instance.ToApi(options), LegacyBrowsersDescription, LegacyBrowsersName)));
        var list = new JsonArray([.. filters.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (JsonNode?)f.Json)]);
        return ApiResults.Json(list, ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> UpdateAsync(string org, string project, string filterId, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var option = Option(filterId) ?? throw ApiException.NotFound();
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

        var result = await grains.GetGrain<IProjectGrain>(record.Id).UpdateOptionsAsync(new Dictionary<string, string> { [option.Key] = input });
        if (!result.IsValid)
        {
            return FieldError(field, result.Errors.Values.First());
        }

        LogUpdated(log.Logger, organization.Slug, record.Slug, filterId);

        // Sentry has answered 201, 204 and 200 here over the years; its newest tests expect 204.
        return Results.NoContent();
    }

    private static IProjectOption? Option(string filterId) => filterId switch
    {
        "localhost" => FilterToggleOption.Localhost,
        "browser-extensions" => FilterToggleOption.BrowserExtensions,
        "web-crawlers" => FilterToggleOption.WebCrawlers,
        LegacyBrowsersOption.FilterId => LegacyBrowsersOption.Instance,
        _ => null,
    };

    private static JsonObject Filter(string id, JsonNode? active, string description, string name) => new()
    {
        ["id"] = id,
        ["active"] = active,
        ["description"] = description,
        ["name"] = name,
    };

    private static IResult FieldError(string field, string message) =>
        ApiResults.Json(new JsonObject { [field] = new JsonArray(JsonValue.Create(message)) }, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound filter {FilterId} of project {Organization}/{Slug} updated")]
    private static partial void LogUpdated(ILogger logger, string organization, string slug, string filterId);
}
