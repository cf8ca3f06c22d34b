using System.Text.Json.Nodes;
using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Server.Accounts;
using Grains.Server.Api.Infrastructure;

namespace Grains.Server.Api;

/// <summary>Sentry's shapes of organization members and API tokens.</summary>
internal static class AccountSerializer
{
    /// <summary>Sentry's <c>OrganizationMemberSerializer</c> output (a member is never pending here: users are added, not invited).</summary>
    public static JsonObject Member(OrganizationMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var user = member.User;
        var id = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var role = Roles.Parse(member.Role) ?? OrganizationRole.Member;
        return new JsonObject
        {
            ["id"] = id,
            ["email"] = user.Email,
            ["name"] = user.DisplayName,
            ["user"] = new JsonObject
            {
                ["id"] = id,
                ["name"] = user.DisplayName,
                ["username"] = user.Email,
                ["email"] = user.Email,
                ["isActive"] = true,
                ["has2fa"] = false,
                ["dateJoined"] = ApiTime.Format(user.DateJoined),
                ["lastLogin"] = user.LastLogin is { } login ? ApiTime.Format(login) : null,
            },
            ["orgRole"] = member.Role,
            ["role"] = member.Role,
            ["roleName"] = role.ToString(),
            ["pending"] = false,
            ["expired"] = false,
            ["inviteStatus"] = "approved",
            ["inviterName"] = null,
            ["dateCreated"] = ApiTime.Format(member.DateCreated),
        };
    }

    /// <summary>Sentry's <c>ApiTokenSerializer</c> output; <paramref name="token"/> only in the answer to its creation.</summary>
    public static JsonObject Token(ApiTokenRecord record, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = new JsonObject
        {
            ["id"] = record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["name"] = string.IsNullOrEmpty(record.Name) ? null : record.Name,
            ["scopes"] = new JsonArray((record.Scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode?)s).ToArray()),
            ["application"] = null,
            ["expiresAt"] = null,
            ["dateCreated"] = ApiTime.Format(record.DateCreated),
            ["tokenLastCharacters"] = record.LastCharacters,
        };
        if (token is not null)
        {
            json["token"] = token;
            json["refreshToken"] = null;
        }

        return json;
    }
}
