namespace Grains.Monitoring.Storage;

/// <summary>An API token; only the SHA-256 of the token is stored.</summary>
/// <param name="Id">The store's id.</param>
/// <param name="Name">A label (the admin token's is <c>admin</c>).</param>
/// <param name="TokenHash">Lowercase hex SHA-256 of the token.</param>
/// <param name="DateCreated">When it was created.</param>
/// <param name="UserId">The user a personal token belongs to; null for the admin token, which acts as an owner everywhere.</param>
/// <param name="Scopes">Sentry's scopes of a personal token, space-separated; null for every scope.</param>
/// <param name="LastCharacters">The token's last characters, shown in lists (the token itself is shown once).</param>
public sealed record ApiTokenRecord(long Id, string Name, string TokenHash, DateTimeOffset DateCreated, long? UserId = null, string? Scopes = null, string? LastCharacters = null)
{
    /// <summary>Whether this is the admin token (no user).</summary>
    public bool IsAdmin => UserId is null;
}
