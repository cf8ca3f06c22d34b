using System.Buffers;
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
        // One digest call over all values encoded back to back: hashing runs in OpenSSL, and a call per
        // value (or a hash context per hash) cost more than the hashing itself for these short values.
        var list = values as IReadOnlyList<string> ?? values.ToList();
        var max = 0;
        for (var i = 0; i < list.Count; i++)
        {
            max += Encoding.UTF8.GetMaxByteCount(list[i].Length);
        }

        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var written = 0;
            for (var i = 0; i < list.Count; i++)
            {
                written += Encoding.UTF8.GetBytes(list[i], buffer[written..]);
            }

            Span<byte> digest = stackalloc byte[16];
            MD5.HashData(buffer[..written], digest);
            return Convert.ToHexStringLower(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
