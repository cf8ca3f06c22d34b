using System.Text.Json.Nodes;
using Grains.Monitoring.Outcomes;
using Grains.Monitoring.SpikeProtection;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;
using Microsoft.Extensions.Primitives;

namespace Grains.Server.Api.Stats;

/// <summary>
/// The outcome statistics: Sentry's <c>GET /api/0/organizations/{org}/stats_v2/</c> (what its Stats page
/// asks), and a project's outcomes per category and outcome (<c>/projects/{org}/{project}/stats/outcomes/</c>).
/// </summary>
/// <remarks>Queries are answered by <see cref="StatsReader"/> (as the dashboard's stats page).</remarks>
public static class StatsEndpoints
{
    private const string ForbiddenDetail = "You do not have permission to perform this action.";

    /// <summary>Maps the routes on the API group.</summary>
    public static void Map(IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/organizations/{org}/stats_v2/", OrganizationStatsAsync);
        api.MapGet("/projects/{org}/{project}/spike-protection/", SpikeProtectionAsync);
    }

    /// <summary>Maps the project route (on the item endpoints' group, where it has always been).</summary>
    public static void MapProject(IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/projects/{org}/{project}/stats/outcomes/", ProjectOutcomesAsync);
    }

    private static async Task<IResult> OrganizationStatsAsync(string org, HttpContext http, ApiDirectory directory, StatsReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = StatsQueryParser.Parse(http.Request.Query, time.GetUtcNow());
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var owned = (await directory.Store.ListProjectsAsync(organization.Id, cancellationToken)).Select(p => p.Id).ToHashSet();
        HashSet<long> selected;
        if (query.Projects is { } requested)
        {
            if (requested.Any(id => !owned.Contains(id)))
            {
                throw new ApiException(StatusCodes.Status403Forbidden, ForbiddenDetail);
            }

            selected = [.. requested];
        }
        else
        {
            selected = owned;
        }

        return ApiResults.Json(await reader.ReadAsync(query, organization.Id, selected, cancellationToken), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> ProjectOutcomesAsync(string org, string project, HttpContext http, ApiDirectory directory, StatsReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        // The project's view of stats_v2: sum(quantity) by category and outcome, the last 24 hours unless asked otherwise.
        var parameters = http.Request.Query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        if (!parameters.ContainsKey("statsPeriod") && !parameters.ContainsKey("start") && !parameters.ContainsKey("end"))
        {
            parameters["statsPeriod"] = "24h";
        }

        parameters["field"] = StatsQueryParser.QuantityField;
        parameters["groupBy"] = new StringValues(["category", "outcome"]);
        parameters.Remove("project");
        var query = StatsQueryParser.Parse(new QueryCollection(parameters), time.GetUtcNow());
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        return ApiResults.Json(await reader.ReadAsync(query, organization.Id, new HashSet<long> { record.Id }, cancellationToken), ApiJsonContext.Default.JsonObject);
    }

    /// <summary>
    /// Grains' view of a project's spike protection (Sentry shows it only in its billing UI): whether it
    /// applies, the hourly thresholds per category held for the current hour, and the hour they are for.
    /// What it dropped is in <c>stats_v2</c> under <c>reason=spike_protection</c>.
    /// </summary>
    private static async Task<IResult> SpikeProtectionAsync(string org, string project, ApiDirectory directory, SpikeThresholds thresholds, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var byCategory = new JsonObject();
        foreach (var (category, threshold) in thresholds.ForProject(record.Id).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            byCategory[category] = threshold;
        }

        var result = new JsonObject
        {
            ["enabled"] = !thresholds.IsDisabled(record.Id),
            ["hourStart"] = thresholds.ComputedFor is { } hour ? ApiTime.Format(DateTimeOffset.FromUnixTimeSeconds(hour)) : null,
            ["thresholds"] = byCategory,
        };
        return ApiResults.Json(result, ApiJsonContext.Default.JsonObject);
    }
}
