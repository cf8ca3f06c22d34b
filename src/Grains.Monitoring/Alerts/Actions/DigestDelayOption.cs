using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// Sentry's <c>digests:mail:minimum_delay</c> and <c>digests:mail:maximum_delay</c>: seconds an email
/// alert waits so that a burst becomes one digest (0: one email per firing, at once). Unset, the
/// server's <c>Grains:Alerts:Delivery:DigestMinimumDelay</c> / <c>DigestMaximumDelay</c> apply.
/// </summary>
public sealed class DigestDelayOption(string key) : ProjectOption<int?>
{
    /// <summary>The longest a digest may be put off (one day).</summary>
    public const int MaxSeconds = 86_400;

    public static DigestDelayOption Minimum { get; } = new("digests:mail:minimum_delay");

    public static DigestDelayOption Maximum { get; } = new("digests:mail:maximum_delay");

    public override string Key { get; } = key;

    public override bool InProjectDetails => true;

    public override int? Default => null;

    public override ProjectOptionParse Parse(JsonElement input)
    {
        long seconds;
        switch (input.ValueKind)
        {
            case JsonValueKind.Null:
                return ProjectOptionParse.Value(null);
            case JsonValueKind.Number when input.TryGetInt64(out seconds):
                break;
            case JsonValueKind.String when long.TryParse(input.GetString()!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds):
                break;
            default:
                return ProjectOptionParse.Invalid("A valid integer is required.");
        }

        return seconds is < 0 or > MaxSeconds
            ? ProjectOptionParse.Invalid($"Ensure this value is between 0 and {MaxSeconds} (seconds).")
            : ProjectOptionParse.Value(seconds.ToString(CultureInfo.InvariantCulture));
    }

    protected override bool TryDecode(JsonElement stored, out int? value)
    {
        value = stored.ValueKind == JsonValueKind.Number && stored.TryGetInt32(out var s) && s is >= 0 and <= MaxSeconds ? s : null;
        return value is not null;
    }

    protected override JsonNode? Format(int? value) => value is { } s ? JsonValue.Create(s) : null;
}
