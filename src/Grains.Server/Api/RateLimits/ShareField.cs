using System.Globalization;
using System.Text.Json;

namespace Grains.Server.Api.RateLimits;

/// <summary>
/// Sentry's <c>sentry:project-rate-limit</c> / <c>projectRateLimit</c>: a whole percentage from 1 to 100
/// (a number or a string of digits, as Django REST framework reads integers). Null clears it.
/// </summary>
internal static class ShareField
{
    /// <summary>The value, or the DRF message of why it is refused.</summary>
    public static (int? Value, string? Error) Parse(JsonElement value)
    {
        long number;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return (null, null);
            case JsonValueKind.Number when value.TryGetInt64(out number):
                break;
            case JsonValueKind.Number when value.TryGetDecimal(out var fraction) && fraction == decimal.Truncate(fraction) && fraction is >= -1_000_000 and <= 1_000_000:
                number = (long)fraction;
                break;
            case JsonValueKind.String when long.TryParse(value.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number):
                break;
            default:
                return (null, RateLimitField.InvalidInteger);
        }

        return number switch
        {
            < 1 => (null, "Ensure this value is greater than or equal to 1."),
            > 100 => (null, "Ensure this value is less than or equal to 100."),
            _ => ((int)number, null),
        };
    }
}
