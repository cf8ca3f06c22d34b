using System.Text.Json;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// An on/off project option, off by default. Accepts what Sentry's clients send for one: a boolean,
/// <c>"1"</c>/<c>"0"</c>, <c>"true"</c>/<c>"false"</c> or 1/0; off and null are stored as nothing.
/// Subclasses choose how the value is echoed (Sentry echoes some as <c>"1"</c>/<c>"0"</c>).
/// </summary>
public abstract class BooleanProjectOption : ProjectOption<bool>
{
    public override bool Default => false;

    public override ProjectOptionParse Parse(JsonElement input) => input.ValueKind switch
    {
        JsonValueKind.True => ProjectOptionParse.Value("true"),
        JsonValueKind.False or JsonValueKind.Null => ProjectOptionParse.Value(null),
        JsonValueKind.String when input.GetString() is "1" or "true" => ProjectOptionParse.Value("true"),
        JsonValueKind.String when input.GetString() is "0" or "false" => ProjectOptionParse.Value(null),
        JsonValueKind.Number when input.TryGetInt32(out var n) && n is 0 or 1 => ProjectOptionParse.Value(n == 1 ? "true" : null),
        _ => ProjectOptionParse.Invalid("Must be a boolean."),
    };

    protected override bool TryDecode(JsonElement stored, out bool value)
    {
        value = stored.ValueKind == JsonValueKind.True;
        return stored.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }
}
