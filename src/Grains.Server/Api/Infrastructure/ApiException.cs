namespace Grains.Server.Api.Infrastructure;

/// <summary>A request the API refuses with a status code and Sentry's <c>{"detail": …}</c> body.</summary>
internal sealed class ApiException(int statusCode, string detail) : Exception(detail)
{
    /// <summary>Sentry's body for an unknown resource.</summary>
    public const string NotFoundDetail = "The requested resource does not exist";

    public int StatusCode { get; } = statusCode;

    public string Detail { get; } = detail;

    public static ApiException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static ApiException NotFound() => new(StatusCodes.Status404NotFound, NotFoundDetail);
}
