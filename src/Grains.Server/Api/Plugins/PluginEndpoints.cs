using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Actions;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Projects;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;
using Microsoft.Extensions.Options;

namespace Grains.Server.Api.Plugins;

/// <summary>
/// Sentry's legacy plugin configuration, <c>/api/0/projects/{org}/{project}/plugins/{plugin}/</c>, for the
/// <c>webhooks</c> and <c>slack</c> plugins: <c>GET</c> the plugin JSON with its <c>config</c>, <c>PUT</c>
/// the config fields (<c>{"urls": "a\nb"}</c>; 400 <c>{"errors": {"urls": "Not a valid URL."}}</c>),
/// <c>POST</c> to enable (201, no body), <c>{"test": true}</c> to send a test notification (200
/// <c>{"detail": …}</c>), <c>{"reset": true}</c> to clear the config, <c>DELETE</c> to disable (204).
/// Another plugin slug answers 404. The settings are project options written through the project grain.
/// </summary>
internal static partial class PluginEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/plugins/{plugin}/", GetAsync);
        api.MapPut("/projects/{org}/{project}/plugins/{plugin}/", UpdateAsync);
        api.MapPost("/projects/{org}/{project}/plugins/{plugin}/", PostAsync);
        api.MapDelete("/projects/{org}/{project}/plugins/{plugin}/", DisableAsync);
    }

    private static async Task<IResult> GetAsync(string org, string project, string plugin, ApiDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (legacy, record) = await ResolveAsync(org, project, plugin, directory, cancellationToken);
        var options = await grains.GetGrain<IProjectGrain>(record.Id).GetOptionsAsync();
        return ApiResults.Json(legacy.ToJson(options, PluginVersion), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> UpdateAsync(string org, string project, string plugin, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (legacy, record) = await ResolveAsync(org, project, plugin, directory, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var projectGrain = grains.GetGrain<IProjectGrain>(record.Id);
        var current = await projectGrain.GetOptionsAsync();
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new JsonObject();
        foreach (var field in legacy.Fields)
        {
            var present = body.TryGetProperty(field.Name, out var value) && value.ValueKind != JsonValueKind.Null
                && !(value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length == 0);
            if (!present)
            {
                // As Sentry: a secret that is not sent keeps its saved value; another field is cleared;
                // a required field must end up with a value.
                var saved = field.Option.ToApi(current) is not null;
                if (field.Required && !(field.Secret && saved))
                {
                    errors[field.Name] = "This field is required.";
                }
                else if (!field.Secret)
                {
                    inputs[field.Option.Key] = "null";
                }

                continue;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors[field.Name] = "Not a valid string.";
                continue;
            }

            if (field.Option is WebhookUrlsOption && value.GetString()!.Split('\n').Select(l => l.Trim()).Any(l => l.Length > 0 && !WebhookUrls.IsValid(l)))
            {
                errors[field.Name] = WebhookUrls.InvalidMessage;
                continue;
            }

            var parsed = field.Option.Parse(value);
            if (!parsed.IsValid)
            {
                errors[field.Name] = parsed.Error;
                continue;
            }

            inputs[field.Option.Key] = value.GetRawText();
        }

        if (errors.Count > 0)
        {
            return ApiResults.Json(new JsonObject { ["errors"] = errors }, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        var result = await projectGrain.UpdateOptionsAsync(inputs);
        if (!result.IsValid)
        {
            var refused = new JsonObject();
            foreach (var (key, message) in result.Errors)
            {
                refused[legacy.Fields.FirstOrDefault(f => f.Option.Key == key)?.Name ?? key] = message;
            }

            return ApiResults.Json(new JsonObject { ["errors"] = refused }, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        LogConfigured(log.Logger, org, project, legacy.Slug);
        return ApiResults.Json(legacy.ToJson(await projectGrain.GetOptionsAsync(), PluginVersion), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> PostAsync(
        string org, string project, string plugin, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiLog log,
        AlertHttp alertHttp, IOptions<AlertDeliveryOptions> deliveryOptions, CancellationToken cancellationToken)
    {
        var (legacy, record) = await ResolveAsync(org, project, plugin, directory, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var projectGrain = grains.GetGrain<IProjectGrain>(record.Id);
        if (JsonBody.Boolean(body, "test") == true)
        {
            var options = await projectGrain.GetOptionsAsync();
            var error = await PluginTest.SendAsync(legacy.Slug, record, org, options, alertHttp, deliveryOptions.Value, cancellationToken);
            return error is null
                ? ApiResults.Json(new JsonObject { ["detail"] = "No errors returned" }, ApiJsonContext.Default.JsonObject)
                : ApiResults.Json(new JsonObject { ["detail"] = error }, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        if (JsonBody.Boolean(body, "reset") == true)
        {
            var reset = legacy.Fields.ToDictionary(f => f.Option.Key, _ => "null", StringComparer.Ordinal);
            reset[legacy.Enabled.Key] = "null";
            await projectGrain.UpdateOptionsAsync(reset);
            LogReset(log.Logger, org, project, legacy.Slug);
            return ApiResults.Json(legacy.ToJson(await projectGrain.GetOptionsAsync(), PluginVersion), ApiJsonContext.Default.JsonObject);
        }

        await projectGrain.UpdateOptionsAsync(new Dictionary<string, string> { [legacy.Enabled.Key] = "true" });
        LogEnabled(log.Logger, org, project, legacy.Slug, true);
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private static async Task<IResult> DisableAsync(string org, string project, string plugin, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (legacy, record) = await ResolveAsync(org, project, plugin, directory, cancellationToken);
        await grains.GetGrain<IProjectGrain>(record.Id).UpdateOptionsAsync(new Dictionary<string, string> { [legacy.Enabled.Key] = "false" });
        LogEnabled(log.Logger, org, project, legacy.Slug, false);
        return Results.NoContent();
    }

    private static string PluginVersion => AlertHttp.WebhooksUserAgent[(AlertHttp.WebhooksUserAgent.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static async Task<(LegacyPlugin Plugin, Monitoring.Storage.ProjectRecord Project)> ResolveAsync(string org, string project, string plugin, ApiDirectory directory, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        return (LegacyPlugin.Find(plugin) ?? throw ApiException.NotFound(), record);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin {Plugin} of project {Organization}/{Slug} configured")]
    private static partial void LogConfigured(ILogger logger, string organization, string slug, string plugin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin {Plugin} of project {Organization}/{Slug} reset")]
    private static partial void LogReset(ILogger logger, string organization, string slug, string plugin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plugin {Plugin} of project {Organization}/{Slug} enabled: {Enabled}")]
    private static partial void LogEnabled(ILogger logger, string organization, string slug, string plugin, bool enabled);
}
