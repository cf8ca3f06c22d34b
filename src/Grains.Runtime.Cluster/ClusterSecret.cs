using System.Security.Cryptography;
using System.Text;

namespace Grains.Runtime.Cluster;

/// <summary>The shared secret of silo-to-silo calls: the header a caller sends and its constant-time check.</summary>
internal sealed class ClusterSecret
{
    /// <summary>The authorization scheme of silo-to-silo calls.</summary>
    public const string Scheme = "GrainsCluster";

    private readonly byte[] _hash;

    public ClusterSecret(ClusterOptions options)
    {
        if (string.IsNullOrEmpty(options.Secret) || options.Secret.Length < 16)
        {
            throw new InvalidOperationException("Cluster mode needs a shared secret of at least 16 characters in Grains:Cluster:Secret (the same on every silo).");
        }

        Value = options.Secret;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Secret));
    }

    /// <summary>The secret itself (sent by callers; never logged).</summary>
    public string Value { get; }

    /// <summary>Whether an <c>Authorization</c> header carries the secret.</summary>
    public bool Matches(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length + 1).Trim().ToString()));
        return CryptographicOperations.FixedTimeEquals(presented, _hash);
    }
}
