using System.Globalization;
using System.Security.Claims;

namespace Grains.Server.Accounts;

/// <summary>The claims of a dashboard session (the cookie) and of an API request's principal.</summary>
public static class AccountClaims
{
    /// <summary>The user's security stamp when the session began; a different stored stamp ends the session.</summary>
    public const string SecurityStamp = "grains:stamp";

    /// <summary>Marks the principal of a request made with the admin API token (an owner everywhere).</summary>
    public const string AdminToken = "grains:admin";

    /// <summary>The authentication type of cookie sessions.</summary>
    public const string SessionAuthenticationType = "grains_session";

    /// <summary>The authentication type of API tokens.</summary>
    public const string TokenAuthenticationType = "grains_token";

    /// <summary>The principal of a signed-in user.</summary>
    public static ClaimsPrincipal ForUser(long userId, string email, string displayName, string securityStamp, string authenticationType = SessionAuthenticationType)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, email),
                new Claim(ClaimTypes.Email, email),
                new Claim(ClaimTypes.GivenName, displayName),
                new Claim(SecurityStamp, securityStamp),
            ],
            authenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The principal of a request made with a user's personal API token.</summary>
    public static ClaimsPrincipal ForTokenUser(long userId) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString(CultureInfo.InvariantCulture))], TokenAuthenticationType, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The principal of a request made with the admin token.</summary>
    public static ClaimsPrincipal ForAdminToken() =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin token"), new Claim(AdminToken, "true")], TokenAuthenticationType, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The user id of <paramref name="principal"/>, or null (anonymous, or the admin token).</summary>
    public static long? UserId(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true
            && long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
    }

    /// <summary>Whether <paramref name="principal"/> is the admin token.</summary>
    public static bool IsAdminToken(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Identity?.IsAuthenticated == true && principal.HasClaim(AdminToken, "true");
    }
}
