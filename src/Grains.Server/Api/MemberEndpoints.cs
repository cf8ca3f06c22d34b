using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Server.Accounts;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// <c>/api/0/organizations/{org}/members/</c>: list, add (a new user needs an initial <c>password</c>:
/// Grains adds users rather than mailing invitations), change <c>orgRole</c>, remove — with the rules of
/// <see cref="MemberService"/> (only owners touch owners; the last owner stays).
/// </summary>
internal static class MemberEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{org}/members/", ListAsync);
        api.MapPost("/organizations/{org}/members/", AddAsync);
        api.MapGet("/organizations/{org}/members/{memberId}/", GetAsync);
        api.MapPut("/organizations/{org}/members/{memberId}/", UpdateAsync);
        api.MapDelete("/organizations/{org}/members/{memberId}/", RemoveAsync);
    }

    private static async Task<IResult> ListAsync(string org, HttpContext http, ApiDirectory directory, AccessResolver access, MemberService members, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(org, http, directory, access, cancellationToken);
        var list = await members.ListAsync(actor, cancellationToken);
        return Json(new JsonArray(list.Select(m => (JsonNode?)AccountSerializer.Member(m)).ToArray()));
    }

    private static async Task<IResult> GetAsync(string org, string memberId, HttpContext http, ApiDirectory directory, AccessResolver access, MemberService members, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(org, http, directory, access, cancellationToken);
        var id = MemberId(memberId);
        var member = (await members.ListAsync(actor, cancellationToken)).FirstOrDefault(m => m.User.Id == id) ?? throw ApiException.NotFound();
        return Json(AccountSerializer.Member(member));
    }

    private static async Task<IResult> AddAsync(string org, HttpContext http, ApiDirectory directory, AccessResolver access, MemberService members, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(org, http, directory, access, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var role = RoleField(body) ?? OrganizationRole.Member;
        var result = await members.AddAsync(actor, JsonBody.String(body, "email"), JsonBody.String(body, "name"), JsonBody.String(body, "password"), role, cancellationToken);
        return Answer(result);
    }

    private static async Task<IResult> UpdateAsync(string org, string memberId, HttpContext http, ApiDirectory directory, AccessResolver access, MemberService members, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(org, http, directory, access, cancellationToken);
        var id = MemberId(memberId);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var role = RoleField(body) ?? throw Invalid("orgRole", "This field is required.");
        return Answer(await members.SetRoleAsync(actor, id, role, cancellationToken));
    }

    private static async Task<IResult> RemoveAsync(string org, string memberId, HttpContext http, ApiDirectory directory, AccessResolver access, MemberService members, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(org, http, directory, access, cancellationToken);
        return Answer(await members.RemoveAsync(actor, MemberId(memberId), cancellationToken));
    }

    // The organization has been checked (ApiPermissionFilter); the actor's role decides the member rules.
    private static async Task<OrganizationAccess> ActorAsync(string org, HttpContext http, ApiDirectory directory, AccessResolver access, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        return await access.ResolveAsync(http.User, organization, cancellationToken) ?? throw ApiException.NotFound();
    }

    private static long MemberId(string memberId) =>
        long.TryParse(memberId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw ApiException.NotFound();

    // Sentry sends orgRole; older clients send role.
    private static OrganizationRole? RoleField(JsonElement body)
    {
        var name = JsonBody.String(body, "orgRole") ?? JsonBody.String(body, "role");
        if (name is null)
        {
            return null;
        }

        return Roles.Parse(name) ?? throw Invalid("orgRole", $"Invalid role: '{name}' (one of member, manager, owner).");
    }

    private static ApiException Invalid(string field, string message) =>
        ApiException.Invalid(new JsonObject { [field] = new JsonArray(message) }, message);

    private static IResult Answer(MemberResult result) => result switch
    {
        { Succeeded: true, StatusCode: StatusCodes.Status204NoContent } => Results.NoContent(),
        { Succeeded: true, Member: { } member } => Json(AccountSerializer.Member(member), result.StatusCode),
        { Field: { } field, StatusCode: StatusCodes.Status400BadRequest or StatusCodes.Status409Conflict } =>
            ApiResults.Json(new JsonObject { [field] = new JsonArray(result.Error) }, ApiJsonContext.Default.JsonObject, result.StatusCode),
        _ => ApiResults.Error(result.StatusCode, result.Error ?? ApiException.NotFoundDetail),
    };

    private static IResult Json(JsonNode node, int status = StatusCodes.Status200OK) =>
        node is JsonArray array ? ApiResults.Json(array, ApiJsonContext.Default.JsonArray, status) : ApiResults.Json((JsonObject)node, ApiJsonContext.Default.JsonObject, status);
}
