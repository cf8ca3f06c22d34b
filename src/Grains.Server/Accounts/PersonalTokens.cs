using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Seeding;

namespace Grains.Server.Accounts;

/// <summary>
/// A user's personal API tokens (the tokens page and <c>/api/0/api-tokens/</c>): the token is shown once,
/// at creation; only its hash and last four characters are kept. A token acts with its user's role in each
/// organization; its scopes are recorded as Sentry's clients expect them (the role decides what it may do).
/// </summary>
internal sealed partial class PersonalTokens(IAccountStore accounts, TokenAuthenticator authenticator, ILogger<PersonalTokens> logger)
{
    /// <summary>Sentry's token scopes a personal token may be given.</summary>
    public static readonly IReadOnlyList<string> KnownScopes =
    [
        "org:read", "org:write", "org:admin", "project:read", "project:write", "project:admin", "project:releases",
        "event:read", "event:write", "event:admin", "member:read", "member:write", "member:admin",
        "team:read", "team:write", "team:admin", "alerts:read", "alerts:write",
    ];

    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Why <paramref name="scopes"/> cannot be given, or null.</summary>
    public static string? ScopesProblem(IReadOnlyCollection<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Count == 0)
        {
            return "At least one scope is required.";
        }

        var unknown = scopes.FirstOrDefault(s => !KnownScopes.Contains(s, StringComparer.Ordinal));
        return unknown is null ? null : $"Unknown scope: {unknown}";
    }

    /// <summary>The user's tokens, oldest first.</summary>
    public Task<IReadOnlyList<ApiTokenRecord>> ListAsync(long userId, CancellationToken cancellationToken = default) => accounts.ListUserTokensAsync(userId, cancellationToken);

    /// <summary>Creates a token; returns it with the token itself (shown only now).</summary>
    public async Task<(ApiTokenRecord Record, string Token)> CreateAsync(long userId, string? name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var token = ApiTokens.New();
        var record = await accounts.CreateUserTokenAsync(userId, name?.Trim() ?? "", ApiTokens.Hash(token), string.Join(' ', scopes.Distinct(StringComparer.Ordinal)), token[^4..], cancellationToken);
        LogCreated(logger, record.Id, userId);
        return (record, token);
    }

    /// <summary>Revokes a token of the user; false when the user has no such token. This silo forgets it at once; others within their cache time (60 s).</summary>
    public async Task<bool> RevokeAsync(long userId, long tokenId, CancellationToken cancellationToken = default)
    {
        var deleted = await accounts.DeleteUserTokenAsync(userId, tokenId, cancellationToken);
        if (deleted is null)
        {
            return false;
        }

        authenticator.Forget(deleted.TokenHash);
        LogRevoked(logger, tokenId, userId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Personal API token {TokenId} created for user {UserId}")]
    private static partial void LogCreated(ILogger logger, long tokenId, long userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Personal API token {TokenId} of user {UserId} revoked")]
    private static partial void LogRevoked(ILogger logger, long tokenId, long userId);
}
