using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// <c>quotas:spike-protection-disabled</c>: Sentry's project option that turns spike protection off for
/// one project (it is on by default). Set through <c>PUT /api/0/projects/{org}/{project}/</c> with
/// <c>{"options": {"quotas:spike-protection-disabled": true}}</c> and echoed in the project's options.
/// Accepts a boolean, <c>"1"</c>/<c>"0"</c>, <c>"true"</c>/<c>"false"</c> or 1/0; null resets it.
/// </summary>
public sealed class SpikeProtectionDisabledOption : ProjectOption<bool>
{
    public static SpikeProtectionDisabledOption Instance { get; } = new();

    public override string Key => "quotas:spike-protection-disabled";

    public override bool InProjectDetails => true;

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

    protected override JsonNode? Format(bool value) => JsonValue.Create(value);
}
