using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.RateLimits;

namespace Grains.Server.Api.Keys;

/// <summary>
/// The changes to a project's DSN keys, written through the project grain: the one code path of the
/// keys API (<see cref="KeyEndpoints"/>) and the dashboard's keys page. A project deleted since it was
/// looked up, or an unknown key, is <see cref="ApiException.NotFound"/>; a bad name is a 400 <see cref="ApiException"/>.
/// </summary>
internal sealed partial class ProjectKeyCommands(IGrainFactory grains, ApiLog log)
{
    /// <summary>The name of a key created without one.</summary>
    public const string DefaultName = ProjectEndpoints.DefaultKeyName;

    /// <summary>Creates a key named <paramref name="name"/> (the default when null), with a rate limit when <paramref name="rateLimit"/> sets one.</summary>
    public async Task<ProjectKeyRecord> CreateAsync(long projectId, string? name, RateLimitInput rateLimit)
    {
        var checkedName = Names.Optional(name, "name") ?? DefaultName;
        var key = await GrainAsync(projectId, g => g.CreateKeyAsync(checkedName));
        if (rateLimit.Sets)
        {
            key = await GrainAsync(projectId, g => g.SetKeyRateLimitAsync(key.PublicKey, rateLimit.Count, rateLimit.Window)) ?? key;
        }

        LogChanged(log.Logger, key.Id, projectId, "created");
        return key;
    }

    /// <summary>
    /// Renames, enables or disables a key (null leaves a field alone) and changes its rate limit when
    /// <paramref name="rateLimit"/> is present (a limit with a field left null clears it, as Sentry does).
    /// </summary>
    public async Task<ProjectKeyRecord> UpdateAsync(long projectId, string keyId, string? name, bool? isActive, RateLimitInput rateLimit)
    {
        var checkedName = Names.Optional(name, "name");
        var key = await GrainAsync(projectId, g => g.UpdateKeyAsync(keyId, checkedName, isActive)) ?? throw ApiException.NotFound();
        if (rateLimit.Present)
        {
            key = await GrainAsync(projectId, g => g.SetKeyRateLimitAsync(keyId, rateLimit.Count, rateLimit.Window)) ?? throw ApiException.NotFound();
        }

        LogChanged(log.Logger, key.Id, projectId, "updated");
        return key;
    }

    /// <summary>Deletes a key.</summary>
    public async Task DeleteAsync(long projectId, string keyId)
    {
        if (!await GrainAsync(projectId, g => g.DeleteKeyAsync(keyId)))
        {
            throw ApiException.NotFound();
        }

        LogChanged(log.Logger, keyId, projectId, "deleted");
    }

    /// <summary>Calls the project grain; a project deleted since the lookup is a 404.</summary>
    private async Task<T> GrainAsync<T>(long projectId, Func<IProjectGrain, Task<T>> call)
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
