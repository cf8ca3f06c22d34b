using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.RateLimits;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Keys;

/// <summary>DSN keys: <c>/api/0/projects/{org}/{project}/keys/</c> and <c>…/keys/{keyId}/</c>; writes go through <see cref="ProjectKeyCommands"/> (as the dashboard's keys page does).</summary>
internal static class KeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/keys/", ListAsync);
        api.MapPost("/projects/{org}/{project}/keys/", CreateAsync);
        api.MapGet("/projects/{org}/{project}/keys/{keyId}/", GetAsync);
        api.MapPut("/projects/{org}/{project}/keys/{keyId}/", UpdateAsync);
        api.MapDelete("/projects/{org}/{project}/keys/{keyId}/", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(string org, string project, HttpContext http, ApiDirectory directory, ApiUrls urls, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var keys = await directory.Store.ListKeysAsync(record.Id, cancellationToken);
        return ApiResults.Json([.. keys.Select(k => DirectorySerializer.Key(k, urls, http.Request))], ApiJsonContext.Default.ListKeyDto);
    }

    private static async Task<IResult> CreateAsync(string org, string project, HttpContext http, ApiDirectory directory, ApiUrls urls, ProjectKeyCommands commands, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = JsonBody.String(body, "name");
        if (!RateLimitField.TryRead(body, "rateLimit", out var rateLimit, out var errors))
        {
            return ApiResults.Json(errors!, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        var key = await commands.CreateAsync(record.Id, name, rateLimit);
        return ApiResults.Json(DirectorySerializer.Key(key, urls, http.Request), ApiJsonContext.Default.KeyDto, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string org, string project, string keyId, HttpContext http, ApiDirectory directory, ApiUrls urls, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var key = await directory.Store.FindKeyAsync(keyId, cancellationToken);
        return key is null || key.ProjectId != record.Id
            ? throw ApiException.NotFound()
            : ApiResults.Json(DirectorySerializer.Key(key, urls, http.Request), ApiJsonContext.Default.KeyDto);
    }

    private static async Task<IResult> UpdateAsync(string org, string project, string keyId, HttpContext http, ApiDirectory directory, ApiUrls urls, ProjectKeyCommands commands, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = JsonBody.String(body, "name");
        var isActive = JsonBody.Boolean(body, "isActive");
        if (!RateLimitField.TryRead(body, "rateLimit", out var rateLimit, out var errors))
        {
            return ApiResults.Json(errors!, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        var key = await commands.UpdateAsync(record.Id, keyId, name, isActive, rateLimit);
        return ApiResults.Json(DirectorySerializer.Key(key, urls, http.Request), ApiJsonContext.Default.KeyDto);
    }

    private static async Task<IResult> DeleteAsync(string org, string project, string keyId, ApiDirectory directory, ProjectKeyCommands commands, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        await commands.DeleteAsync(record.Id, keyId);
        return Results.NoContent();
    }
}
