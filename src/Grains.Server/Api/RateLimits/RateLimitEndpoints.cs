using System.Text.Json.Nodes;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;
using Grains.Server.Ingest.Admission;

namespace Grains.Server.Api.RateLimits;

/// <summary>
/// Quotas of organizations and projects, in the shape of a DSN key's <c>rateLimit</c>:
/// <c>/api/0/organizations/{org}/rate-limits/</c> (<c>{"rateLimit": {"window": 60, "count": 1000},
/// "projectRateLimit": 50}</c>, the latter Sentry's organization field: the share of the
/// organization's quota one project may use) and <c>/api/0/projects/{org}/{project}/rate-limits/</c>
/// (<c>{"rateLimit": …}</c>; a project's own share is its option <c>sentry:project-rate-limit</c>).
/// <c>null</c> means the server's default (<c>Grains:RateLimits</c>) applies. PUT is partial: an absent
/// field is left alone.
/// </summary>
internal static partial class RateLimitEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{org}/rate-limits/", GetOrganizationAsync);
        api.MapPut("/organizations/{org}/rate-limits/", PutOrganizationAsync);
        api.MapGet("/projects/{org}/{project}/rate-limits/", GetProjectAsync);
        api.MapPut("/projects/{org}/{project}/rate-limits/", PutProjectAsync);
    }

    private static async Task<IResult> GetOrganizationAsync(string org, ApiDirectory directory, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var stored = await directory.Store.GetRateLimitAsync(ScopeRateLimitRecord.Organization, organization.Id, cancellationToken);
        return Json(stored, withShare: true);
    }

    private static async Task<IResult> PutOrganizationAsync(string org, HttpContext http, ApiDirectory directory, QuotaResolver quotas, ApiLog log, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        // Both fields are validated before either is stored; their errors come back together.
        RateLimitField.TryRead(body, "rateLimit", out var rateLimit, out var rateLimitErrors);
        var errors = rateLimitErrors ?? [];

        int? share = null;
        var shareGiven = body.TryGetProperty("projectRateLimit", out var shareValue);
        if (shareGiven)
        {
            var (value, error) = ProjectRateLimitOption.ParsePercent(shareValue);
            if (error is not null)
            {
                errors["projectRateLimit"] = new JsonArray(error);
            }

            share = value;
        }

        if (errors.Count > 0)
        {
            return ApiResults.Json(errors, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        var stored = await directory.Store.GetRateLimitAsync(ScopeRateLimitRecord.Organization, organization.Id, cancellationToken)
            ?? new ScopeRateLimitRecord(ScopeRateLimitRecord.Organization, organization.Id, null, null, null);
        var updated = Apply(stored, rateLimit) with { SharePercent = shareGiven ? share : stored.SharePercent };
        await directory.Store.SetRateLimitAsync(updated, cancellationToken);
        quotas.Clear();
        LogChanged(log.Logger, "organization", organization.Id);
        return Json(updated.IsEmpty ? null : updated, withShare: true);
    }

    private static async Task<IResult> GetProjectAsync(string org, string project, ApiDirectory directory, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var stored = await directory.Store.GetRateLimitAsync(ScopeRateLimitRecord.Project, record.Id, cancellationToken);
        return Json(stored, withShare: false);
    }

    private static async Task<IResult> PutProjectAsync(string org, string project, HttpContext http, ApiDirectory directory, QuotaResolver quotas, ProjectChangeNotifier notifier, ApiLog log, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        if (!RateLimitField.TryRead(body, "rateLimit", out var rateLimit, out var errors))
        {
            return ApiResults.Json(errors!, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        var stored = await directory.Store.GetRateLimitAsync(ScopeRateLimitRecord.Project, record.Id, cancellationToken)
            ?? new ScopeRateLimitRecord(ScopeRateLimitRecord.Project, record.Id, null, null, null);
        var updated = Apply(stored, rateLimit);
        await directory.Store.SetRateLimitAsync(updated, cancellationToken);
        quotas.Clear();
        notifier.Notify(record.Id);
        LogChanged(log.Logger, "project", record.Id);
        return Json(updated.IsEmpty ? null : updated, withShare: false);
    }

    private static ScopeRateLimitRecord Apply(ScopeRateLimitRecord stored, RateLimitInput input) =>
        !input.Present ? stored
        : input.Sets ? stored with { Count = input.Count, Window = input.Window }
        : stored with { Count = null, Window = null };

    private static IResult Json(ScopeRateLimitRecord? stored, bool withShare)
    {
        var json = new JsonObject
        {
            ["rateLimit"] = stored is { Count: { } count, Window: { } window } ? new JsonObject { ["window"] = window, ["count"] = count } : null,
        };
        if (withShare)
        {
            json["projectRateLimit"] = stored?.SharePercent is { } share ? JsonValue.Create(share) : null;
        }

        return ApiResults.Json(json, ApiJsonContext.Default.JsonObject);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit of {Scope} {ScopeId} updated")]
    private static partial void LogChanged(ILogger logger, string scope, long scopeId);
}
