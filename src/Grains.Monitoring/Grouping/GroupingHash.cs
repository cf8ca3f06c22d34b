using System.Security.Cryptography;
using System.Text;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// Sentry's hash function: md5 hex digest over the UTF-8 bytes of the values concatenated without a
/// separator (so <c>["ab","c"]</c> and <c>["a","bc"]</c> collide, exactly like Sentry).
/// </summary>
public static class GroupingHash
{
    /// <summary>md5 of nothing; the hash of the <c>fallback</c> variant.</summary>
    public const string Empty = "d41d8cd98f00b204e9800998ecf8427e";

    /// <summary>Hashes the values in order.</summary>
    public static string FromValues(IEnumerable<string> values)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        Span<byte> buffer = stackalloc byte[512];
        foreach (var value in values)
        {
            var max = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (max <= buffer.Length)
            {
                var written = Encoding.UTF8.GetBytes(value, buffer);
                md5.AppendData(buffer[..written]);
            }
            else
            {
                md5.AppendData(Encoding.UTF8.GetBytes(value));
            }
        }

        Span<byte> digest = stackalloc byte[16];
        md5.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }
}
