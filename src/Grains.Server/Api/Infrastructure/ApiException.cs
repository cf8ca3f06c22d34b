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

    /// <summary>A body other than <c>{"detail": …}</c>, e.g. Sentry's validation errors <c>{"field": ["message"]}</c>; null for the detail body.</summary>
    public System.Text.Json.Nodes.JsonObject? Body { get; init; }

    /// <summary>A 400 with Sentry's serializer error body, e.g. <c>{"statusDetails": {"inRelease": ["…"]}}</c>.</summary>
    public static ApiException Invalid(System.Text.Json.Nodes.JsonObject body, string summary) =>
        new(StatusCodes.Status400BadRequest, summary) { Body = body };
}
