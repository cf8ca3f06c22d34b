using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Server.Accounts;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// <c>/api/0/api-tokens/</c>: the calling user's personal tokens — list, create (<c>{"scopes": […], "name": …}</c>,
/// the token in the answer only), revoke (<c>DELETE</c> with <c>{"tokenId": "…"}</c>). The admin token has no
/// user: it lists none and may not create any.
/// </summary>
internal static class ApiTokenEndpoints
{
    public const string NoUserDetail = "Personal API tokens belong to a user; the admin token has none (create one in the dashboard).";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/api-tokens/", ListAsync);
        api.MapPost("/api-tokens/", CreateAsync);
        api.MapDelete("/api-tokens/", RevokeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, PersonalTokens tokens, CancellationToken cancellationToken)
    {
        var list = AccountClaims.UserId(http.User) is { } userId ? await tokens.ListAsync(userId, cancellationToken) : [];
        return ApiResults.Json(new JsonArray(list.Select(t => (JsonNode?)AccountSerializer.Token(t)).ToArray()), ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, PersonalTokens tokens, CancellationToken cancellationToken)
    {
        var userId = AccountClaims.UserId(http.User) ?? throw ApiException.BadRequest(NoUserDetail);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var scopes = Scopes(body);
        var name = JsonBody.String(body, "name");
        if (name is { Length: > PersonalTokens.MaxNameLength })
        {
            throw Invalid("name", $"Ensure this field has no more than {PersonalTokens.MaxNameLength} characters.");
        }

        var (record, token) = await tokens.CreateAsync(userId, name, scopes, cancellationToken);
        return ApiResults.Json(AccountSerializer.Token(record, token), ApiJsonContext.Default.JsonObject, StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, PersonalTokens tokens, CancellationToken cancellationToken)
    {
        var userId = AccountClaims.UserId(http.User) ?? throw ApiException.NotFound();
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var tokenId = body.TryGetProperty("tokenId", out var value) ? value : default;
        var text = tokenId.ValueKind switch
        {
            JsonValueKind.String => tokenId.GetString(),
            JsonValueKind.Number => tokenId.GetRawText(),
            _ => throw Invalid("tokenId", "This field is required."),
        };
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !await tokens.RevokeAsync(userId, id, cancellationToken))
        {
            throw ApiException.NotFound();
        }

        return Results.NoContent();
    }

    private static List<string> Scopes(JsonElement body)
    {
        if (!body.TryGetProperty("scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("scopes", "This field is required (a list of scopes, e.g. [\"org:read\"]).");
        }

        var list = new List<string>();
        foreach (var scope in scopes.EnumerateArray())
        {
            list.Add(scope.ValueKind == JsonValueKind.String ? scope.GetString()! : throw Invalid("scopes", "Each scope must be a string."));
        }

        return PersonalTokens.ScopesProblem(list) is { } problem ? throw Invalid("scopes", problem) : list;
    }

    private static ApiException Invalid(string field, string message) =>
        ApiException.Invalid(new JsonObject { [field] = new JsonArray(message) }, message);
}
