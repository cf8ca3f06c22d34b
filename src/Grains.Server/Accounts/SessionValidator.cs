using System.Collections.Concurrent;
using System.Security.Claims;
using Grains.Monitoring.Accounts;
using Microsoft.Extensions.Options;

namespace Grains.Server.Accounts;

/// <summary>
/// Whether a session is still valid: its user exists and has the security stamp the session was issued
/// with. Each silo reads a user's stamp at most once per <see cref="AccountsOptions.SessionValidationInterval"/>,
/// so a password change ends other sessions within that time without a store read per request.
/// </summary>
public sealed class SessionValidator(IAccountStore store, IOptions<AccountsOptions> options, TimeProvider time)
{
    // Bounds the cache; clearing it costs one read per active user.
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<long, (string? Stamp, DateTimeOffset Read)> _stamps = new();

    /// <summary>Whether <paramref name="principal"/>'s session may go on.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (AccountClaims.UserId(principal) is not { } userId || principal.FindFirstValue(AccountClaims.SecurityStamp) is not { Length: > 0 } stamp)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (!_stamps.TryGetValue(userId, out var cached) || now - cached.Read >= options.Value.SessionValidationInterval)
        {
            var user = await store.GetUserAsync(userId, cancellationToken).ConfigureAwait(false);
            if (_stamps.Count >= MaxCached)
            {
                _stamps.Clear();
            }

            cached = (user?.SecurityStamp, now);
            _stamps[userId] = cached;
        }

        return string.Equals(cached.Stamp, stamp, StringComparison.Ordinal);
    }

    /// <summary>Forgets the cached stamp of a user (this silo re-reads it at once: its own password change takes effect here immediately).</summary>
    public void Forget(long userId) => _stamps.TryRemove(userId, out _);
}
