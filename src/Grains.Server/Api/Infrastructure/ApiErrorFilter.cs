using Grains.Monitoring.Search;
using Grains.Monitoring.Storage;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Turns the exceptions that mean "bad input" into Sentry's 4xx bodies, so a client mistake is never
/// a 500. Anything else propagates: a 500 then means a bug, not a user error.
/// </summary>
internal sealed partial class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiException e) when (e.Body is not null)
        {
            return ApiResults.Json(e.Body, Serialization.ApiJsonContext.Default.JsonObject, e.StatusCode);
        }
        catch (ApiException e)
        {
            return ApiResults.Error(e.StatusCode, e.Detail);
        }
        catch (SearchSyntaxException e)
        {
            LogBadSearch(logger, e.Term);
            return ApiResults.Error(StatusCodes.Status400BadRequest, e.Message);
        }
        catch (DuplicateSlugException e)
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (body too large, client too slow) surface here.
            return ApiResults.Error(e.StatusCode, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Issue search rejected at term {Term}")]
    private static partial void LogBadSearch(ILogger logger, string term);
}
