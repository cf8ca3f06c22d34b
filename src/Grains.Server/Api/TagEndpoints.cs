using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>An issue's tags from the query store: <c>…/issues/{id}/tags/</c>, <c>…/tags/{key}/</c>, <c>…/tags/{key}/values/</c>.</summary>
internal static class TagEndpoints
{
    /// <summary>Sentry shows the top 9 values of each key.</summary>
    private const int TopValues = 9;

    private const int DefaultValuesLimit = 100;

    public static void Map(RouteGroupBuilder issue)
    {
        issue.MapGet("/tags/", ListAsync);
        issue.MapGet("/tags/{key}/", GetAsync);
        issue.MapGet("/tags/{key}/values/", ValuesAsync);
    }

    private static async Task<IResult> ListAsync(string id, HttpContext http, ApiDirectory directory, IIssueStore issues, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var tags = await issues.GetTagsAsync(context.Issue.Id, TopValues, cancellationToken);
        return ApiResults.Json([.. tags.Select(TagSerializer.Key)], ApiJsonContext.Default.ListTagKeyDto);
    }

    private static async Task<IResult> GetAsync(string id, string key, HttpContext http, ApiDirectory directory, IIssueStore issues, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var tag = await FindAsync(context.Issue.Id, key, issues, cancellationToken);
        return ApiResults.Json(TagSerializer.Key(tag), ApiJsonContext.Default.TagKeyDto);
    }

    private static async Task<IResult> ValuesAsync(string id, string key, HttpContext http, ApiDirectory directory, IIssueStore issues, ApiUrls urls, CancellationToken cancellationToken)
    {
        var limit = Pagination.Limit(http.Request, DefaultValuesLimit);
        var cursor = Pagination.Cursor(http.Request);
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var tag = await FindAsync(context.Issue.Id, key, issues, cancellationToken);
        IReadOnlyList<IssueTagValue> values;
        string? next;
        try
        {
            (values, next) = await issues.GetTagValuesAsync(context.Issue.Id, tag.Key, limit, cursor, cancellationToken);
        }
        catch (Exception e) when (cursor is not null && e is FormatException or ArgumentException)
        {
            throw ApiException.BadRequest("Invalid cursor parameter.");
        }

        // The store pages forward only, so there is never a previous link with results.
        Pagination.SetLink(http, urls, null, next);
        return ApiResults.Json([.. values.Select(TagSerializer.Value)], ApiJsonContext.Default.ListTagValueDto);
    }

    /// <summary>The issue's tag key (<c>sentry:</c> spellings accepted), or 404 when the issue never had it.</summary>
    private static async Task<IssueTagKey> FindAsync(long issueId, string key, IIssueStore issues, CancellationToken cancellationToken)
    {
        var canonical = TagSerializer.CanonicalKey(key);
        var tags = await issues.GetTagsAsync(issueId, TopValues, cancellationToken);
        return tags.FirstOrDefault(t => t.Key == canonical) ?? throw ApiException.NotFound();
    }
}
