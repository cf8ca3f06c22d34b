using System.Security.Cryptography;
using System.Text;

namespace Grains.Server.Seeding;

/// <summary>API token material: tokens are random, and only their SHA-256 (lowercase hex) is stored.</summary>
public static class ApiTokens
{
    /// <summary>A new token: "grains_" and 64 hex characters (256 random bits).</summary>
    public static string New() => "grains_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
