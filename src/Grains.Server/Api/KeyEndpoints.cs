using Grains.Monitoring.Projects;

using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.RateLimits;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>DSN keys: <c>/api/0/projects/{org}/{project}/keys/</c> and <c>…/keys/{keyId}/</c>; writes go through the project grain.</summary>
internal static partial class KeyEndpoints
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

    private static async Task<IResult> CreateAsync(string org, string project, HttpContext http, ApiDirectory directory, ApiUrls urls, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = Names.Optional(JsonBody.String(body, "name"), "name") ?? ProjectEndpoints.DefaultKeyName;
        if (!RateLimitField.TryRead(body, "rateLimit", out var rateLimit, out var errors))
        {
            return ApiResults.Json(errors!, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        var key = await Grain(grains, record.Id, g => g.CreateKeyAsync(name));
        if (rateLimit.Sets)
        {
            key = await Grain(grains, record.Id, g => g.SetKeyRateLimitAsync(key.PublicKey, rateLimit.Count, rateLimit.Window)) ?? key;
        }

        LogChanged(log.Logger, key.Id, record.Id, "created");
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

    private static async Task<IResult> UpdateAsync(string org, string project, string keyId, HttpContext http, ApiDirectory directory, ApiUrls urls, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = Names.Optional(JsonBody.String(body, "name"), "name");
        var isActive = JsonBody.Boolean(body, "isActive");
        if (!RateLimitField.TryRead(body, "rateLimit", out var rateLimit, out var errors))
        {
            return ApiResults.Json(errors!, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        var key = await Grain(grains, record.Id, g => g.UpdateKeyAsync(keyId, name, isActive)) ?? throw ApiException.NotFound();
        if (rateLimit.Present)
        {
            // Absent leaves the limit alone; null, or a field left null, clears it (Sentry's semantics).
            key = await Grain(grains, record.Id, g => g.SetKeyRateLimitAsync(keyId, rateLimit.Count, rateLimit.Window)) ?? throw ApiException.NotFound();
        }

        LogChanged(log.Logger, key.Id, record.Id, "updated");
        return ApiResults.Json(DirectorySerializer.Key(key, urls, http.Request), ApiJsonContext.Default.KeyDto);
    }

    private static async Task<IResult> DeleteAsync(string org, string project, string keyId, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        if (!await Grain(grains, record.Id, g => g.DeleteKeyAsync(keyId)))
        {
            throw ApiException.NotFound();
        }

        LogChanged(log.Logger, keyId, record.Id, "deleted");
        return Results.NoContent();
    }

    /// <summary>Calls the project grain; a project deleted since the lookup is a 404.</summary>
    private static async Task<T> Grain<T>(IGrainFactory grains, long projectId, Func<IProjectGrain, Task<T>> call)
    {
        try
        {
            return await call(grains.GetGrain<IProjectGrain>(projectId));
        }
        catch (KeyNotFoundException)
        {
            throw ApiException.NotFound();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DSN key {KeyId} of project {ProjectId} {Change}")]
    private static partial void LogChanged(ILogger logger, string keyId, long projectId, string change);
}
