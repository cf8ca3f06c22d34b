using System.Text.Json.Serialization.Metadata;
using Grains.Server.Api.Models;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Infrastructure;

/// <summary>Responses written with the API's source-generated JSON contract.</summary>
internal static class ApiResults
{
    public static IResult Json<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, typeInfo, contentType: "application/json", statusCode: statusCode);

    public static IResult Error(int statusCode, string detail) =>
        Json(new ErrorDto(detail), ApiJsonContext.Default.ErrorDto, statusCode);
}
