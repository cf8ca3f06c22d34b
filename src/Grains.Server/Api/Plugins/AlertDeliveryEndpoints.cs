using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Plugins;

/// <summary>
/// A Grains extension (Sentry has no such endpoint): the alert outbox's deliveries of a project,
/// <c>GET /api/0/projects/{org}/{project}/alert-deliveries/?status=dead</c> (<c>pending</c>,
/// <c>delivered</c>, <c>dead</c>; all when absent; newest first, at most <c>limit</c>, default 100),
/// and <c>POST …/alert-deliveries/{id}/retry/</c>, which makes a dead delivery pending again with a
/// fresh attempt count (202) and wakes the project's deliverer. Targets are shown without secrets.
/// </summary>
internal static partial class AlertDeliveryEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/alert-deliveries/", ListAsync);
        api.MapPost("/projects/{org}/{project}/alert-deliveries/{deliveryId}/retry/", RetryAsync);
    }

    private static async Task<IResult> ListAsync(string org, string project, HttpContext http, ApiDirectory directory, IAlertDeliveryStore store, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        AlertDeliveryStatus? status = null;
        if (http.Request.Query["status"].ToString() is { Length: > 0 } requested)
        {
            status = AlertDeliveryKinds.ParseStatus(requested)
                ?? throw ApiException.BadRequest($"\"{requested}\" is not a valid status. Choices: pending, delivered, dead.");
        }

        var limit = DefaultLimit;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } rawLimit
            && (!int.TryParse(rawLimit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw ApiException.BadRequest($"limit must be a whole number from 1 to {MaxLimit}.");
        }

        var deliveries = await store.ListAsync(record.Id, status, limit, cancellationToken);
        var list = new JsonArray();
        foreach (var delivery in deliveries)
        {
            var firing = await store.GetFiringAsync(delivery.FiringId, cancellationToken);
            list.Add(ToJson(delivery, firing));
        }

        return ApiResults.Json(list, ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> RetryAsync(string org, string project, string deliveryId, ApiDirectory directory, IAlertDeliveryStore store, IGrainFactory grains, TimeProvider time, ApiLog log, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var delivery = await store.GetAsync(deliveryId, cancellationToken);
        if (delivery is null || delivery.ProjectId != record.Id)
        {
            throw ApiException.NotFound();
        }

        if (!await store.RetryAsync(record.Id, deliveryId, time.GetUtcNow(), cancellationToken))
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, $"Only a dead delivery can be retried; this one is {AlertDeliveryKinds.StatusName(delivery.Status)}.");
        }

        await grains.GetGrain<IAlertDelivererGrain>(record.Id).WakeAsync();
        LogRetried(log.Logger, org, project, deliveryId);
        var retried = await store.GetAsync(deliveryId, cancellationToken);
        return ApiResults.Json(ToJson(retried ?? delivery, await store.GetFiringAsync(delivery.FiringId, cancellationToken)), ApiJsonContext.Default.JsonObject, StatusCodes.Status202Accepted);
    }

    private static JsonObject ToJson(AlertDelivery delivery, Monitoring.Alerts.AlertFiring? firing) => new()
    {
        ["id"] = delivery.Id,
        ["firingId"] = delivery.FiringId,
        ["issueId"] = firing?.IssueId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["eventId"] = firing?.EventId,
        ["ruleId"] = firing?.RuleId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ruleName"] = firing?.RuleLabel,
        ["kind"] = delivery.Kind,
        ["target"] = AlertDelivererGrain.Describe(delivery),
        ["status"] = AlertDeliveryKinds.StatusName(delivery.Status),
        ["attempts"] = delivery.Attempts,
        ["nextAttempt"] = delivery.Status == AlertDeliveryStatus.Pending ? ApiTime.Format(delivery.NextAttemptAt) : null,
        ["lastError"] = delivery.LastError,
        ["lastStatusCode"] = delivery.LastStatusCode,
        ["dateFired"] = ApiTime.Format(delivery.FiredAt),
        ["dateCreated"] = ApiTime.Format(delivery.CreatedAt),
        ["dateDelivered"] = delivery.DeliveredAt is { } at ? ApiTime.Format(at) : null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead alert delivery {DeliveryId} of project {Organization}/{Slug} retried")]
    private static partial void LogRetried(ILogger logger, string organization, string slug, string deliveryId);
}
