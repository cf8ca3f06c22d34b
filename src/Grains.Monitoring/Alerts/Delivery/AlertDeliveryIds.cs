using System.Security.Cryptography;
using System.Text;

namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>
/// Delivery ids: the first 32 hex digits of SHA-256 of <c>"{firingId}:{kind}:{target}"</c>. A firing
/// expanded twice (a crash between expanding and recording it) gets the same ids, so the outbox keeps
/// one delivery per destination, and a receiver sees the same id on a resend.
/// </summary>
public static class AlertDeliveryIds
{
    /// <summary>The name of the HTTP header that carries the delivery id on every webhook and Slack POST.</summary>
    public const string Header = "X-Grains-Delivery";

    /// <summary>The id of the delivery of <paramref name="firingId"/> to (<paramref name="kind"/>, <paramref name="target"/>).</summary>
    public static string For(string firingId, string kind, string target)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{firingId}:{kind}:{target}"), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>
    /// The email <c>Message-ID</c> for a message carrying <paramref name="deliveryIds"/> (one for a
    /// single firing; several for a digest, hashed in sorted order so a retried digest keeps its id).
    /// </summary>
    public static string MessageId(IReadOnlyCollection<string> deliveryIds, string domain)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        if (deliveryIds.Count == 1)
        {
            return $"{deliveryIds.First()}@{domain}";
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', deliveryIds.Order(StringComparer.Ordinal))), hash);
        return $"digest-{Convert.ToHexStringLower(hash[..16])}@{domain}";
    }
}
