using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Grains.Monitoring.Storage;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Resolves bearer tokens to API tokens. Only the SHA-256 of a token is stored or cached. Positive
/// lookups are cached briefly because every API request needs one; misses are not, so a token
/// created a moment ago works at once.
/// </summary>
internal sealed class TokenAuthenticator(IDirectoryStore directory, TimeProvider time)
{
    private static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(60);

    // Bounds the cache against a flood of distinct valid tokens; clearing costs only one lookup each.
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, (ApiTokenRecord Token, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>The token's record, or null when no such token exists.</summary>
    public async ValueTask<ApiTokenRecord?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Expires > now)
        {
            return cached.Token;
        }

        var record = await directory.FindTokenAsync(hash, cancellationToken);
        if (record is null)
        {
            _cache.TryRemove(hash, out _);
            return null;
        }

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[hash] = (record, now + CacheDuration);
        return record;
    }

    /// <summary>Drops a revoked token from this silo's cache (others expire it within <see cref="CacheDuration"/>).</summary>
    public void Forget(string tokenHash) => _cache.TryRemove(tokenHash, out _);

    /// <summary>The stored form of a token: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
