using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Server.Api.RateLimits;

/// <summary>
/// Reads <c>{"rateLimit": {"window": 60, "count": 5}}</c> as Sentry's <c>RateLimitSerializer</c>
/// validates it (Django REST framework integer fields): <c>count</c> an integer ≥ 0, <c>window</c> an
/// integer from 0 to 86400, each nullable; integers may come as JSON numbers with no fraction or as
/// strings of digits. Errors come back in DRF's shape, <c>{"rateLimit": {"count": ["…"]}}</c>.
/// </summary>
internal static class RateLimitField
{
    /// <summary>The longest window Sentry accepts: one day.</summary>
    public const long MaxWindow = 86_400;

    /// <summary>DRF's <c>IntegerField</c> message for a value that is not an integer.</summary>
    public const string InvalidInteger = "A valid integer is required.";

    /// <summary>Parses <paramref name="name"/> of <paramref name="body"/>; false with DRF-shaped <paramref name="errors"/> when invalid.</summary>
    public static bool TryRead(JsonElement body, string name, out RateLimitInput input, out JsonObject? errors)
    {
        input = RateLimitInput.Absent;
        errors = null;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value))
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            input = new RateLimitInput(true, null, null);
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors = new JsonObject
            {
                [name] = new JsonObject { ["non_field_errors"] = new JsonArray($"Invalid data. Expected a dictionary, but got {PythonType(value)}.") },
            };
            return false;
        }

        var fieldErrors = new JsonObject();
        var count = Integer(value, "count", 0, null, fieldErrors);
        var window = Integer(value, "window", 0, MaxWindow, fieldErrors);
        if (fieldErrors.Count > 0)
        {
            errors = new JsonObject { [name] = fieldErrors };
            return false;
        }

        input = new RateLimitInput(true, count, window);
        return true;
    }

    private static long? Integer(JsonElement parent, string name, long min, long? max, JsonObject errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        long number;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out number):
                break;
            case JsonValueKind.Number when value.TryGetDecimal(out var fraction) && fraction == decimal.Truncate(fraction) && fraction is >= long.MinValue and <= long.MaxValue:
                // DRF strips a trailing ".0": 60.0 is 60, 60.5 is no integer.
                number = (long)fraction;
                break;
            case JsonValueKind.String when long.TryParse(value.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number):
                break;
            default:
                errors[name] = new JsonArray(InvalidInteger);
                return null;
        }

        if (number < min)
        {
            errors[name] = new JsonArray($"Ensure this value is greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        if (number > max)
        {
            errors[name] = new JsonArray($"Ensure this value is less than or equal to {max.Value.ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        return number;
    }

    private static string PythonType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Array => "list",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "int" : "float",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
