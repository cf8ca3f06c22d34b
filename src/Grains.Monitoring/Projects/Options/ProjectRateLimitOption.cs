using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// <c>sentry:project-rate-limit</c>: the percentage (1 to 100) of its organization's quota this project
/// may use, so that one project cannot starve its siblings (Sentry's <c>get_project_quota</c>). Unset,
/// the organization's <c>projectRateLimit</c> applies, else the server's
/// <c>Grains:RateLimits:ProjectSharePercent</c> (100).
/// </summary>
public sealed class ProjectRateLimitOption : ProjectOption<int?>
{
    public static ProjectRateLimitOption Instance { get; } = new();

    public override string Key => "sentry:project-rate-limit";

    public override bool InProjectDetails => true;

    public override int? Default => null;

    /// <summary>
    /// A whole percentage from 1 to 100, as a number or a string of digits (Django REST framework's
    /// integers); null clears it. The error is DRF's message.
    /// </summary>
    public static (int? Value, string? Error) ParsePercent(JsonElement value)
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
                return (null, "A valid integer is required.");
        }

        return number switch
        {
            < 1 => (null, "Ensure this value is greater than or equal to 1."),
            > 100 => (null, "Ensure this value is less than or equal to 100."),
            _ => ((int)number, null),
        };
    }

    public override ProjectOptionParse Parse(JsonElement input)
    {
        var (value, error) = ParsePercent(input);
        return error is not null
            ? ProjectOptionParse.Invalid(error)
            : ProjectOptionParse.Value(value?.ToString(CultureInfo.InvariantCulture));
    }

    protected override bool TryDecode(JsonElement stored, out int? value)
    {
        value = stored.ValueKind == JsonValueKind.Number && stored.TryGetInt32(out var percent) && percent is >= 1 and <= 100 ? percent : null;
        return value is not null;
    }

    protected override JsonNode? Format(int? value) => value is { } percent ? JsonValue.Create(percent) : null;
}
