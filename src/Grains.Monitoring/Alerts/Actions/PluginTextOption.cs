using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// A text setting of a legacy plugin (<c>slack:webhook</c>, <c>slack:channel</c>, <c>slack:username</c>):
/// a string (trimmed; empty or null resets it), checked by the plugin's rule.
/// </summary>
public sealed class PluginTextOption(string key, Func<string, string?> validate) : ProjectOption<string?>
{
    /// <summary>The Slack incoming webhook URL: a secret (never logged, shown only as its host).</summary>
    public static PluginTextOption SlackWebhook { get; } = new("slack:webhook", v => WebhookUrls.IsValid(v) ? null : WebhookUrls.InvalidMessage);

    /// <summary>A channel that overrides the webhook's own (<c>#alerts</c>).</summary>
    public static PluginTextOption SlackChannel { get; } = new("slack:channel", v => v.Length <= 80 ? null : "Ensure this field has no more than 80 characters.");

    /// <summary>The bot name the message is posted as.</summary>
    public static PluginTextOption SlackUsername { get; } = new("slack:username", v => v.Length <= 80 ? null : "Ensure this field has no more than 80 characters.");

    public override string Key { get; } = key;

    public override string? Default => null;

    public override ProjectOptionParse Parse(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.Null)
        {
            return ProjectOptionParse.Value(null);
        }

        if (input.ValueKind != JsonValueKind.String)
        {
            return ProjectOptionParse.Invalid("Not a valid string.");
        }

        var value = input.GetString()!.Trim();
        if (value.Length == 0)
        {
            return ProjectOptionParse.Value(null);
        }

        return validate(value) is { } error ? ProjectOptionParse.Invalid(error) : ProjectOptionParse.Value(JsonSerializer.Serialize(value, ProjectOptionJson.Default.String));
    }

    protected override bool TryDecode(JsonElement stored, out string? value)
    {
        value = stored.ValueKind == JsonValueKind.String ? stored.GetString() : null;
        return value is not null;
    }

    protected override JsonNode? Format(string? value) => value is null ? null : JsonValue.Create(value);
}
