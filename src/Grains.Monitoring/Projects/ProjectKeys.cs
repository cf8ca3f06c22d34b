using System.Security.Cryptography;

namespace Grains.Monitoring.Projects;

/// <summary>DSN key material.</summary>
public static class ProjectKeys
{
    /// <summary>A random 32-hex-character key.</summary>
    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
