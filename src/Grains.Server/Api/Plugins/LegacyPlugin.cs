using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Actions;
using Grains.Monitoring.Projects.Options;

namespace Grains.Server.Api.Plugins;

/// <summary>
/// A legacy notification plugin Grains implements (<c>webhooks</c>, <c>slack</c>): its descriptive
/// fields as Sentry's plugin serializer shows them, its config fields and their project options.
/// </summary>
internal sealed record LegacyPlugin(
    string Slug,
    string Name,
    string Description,
    PluginEnabledOption Enabled,
    IReadOnlyList<LegacyPluginField> Fields)
{
    public static LegacyPlugin Webhooks { get; } = new(
        "webhooks",
        "WebHooks",
        "Integrates web hooks.",
        PluginEnabledOption.Webhooks,
        [new LegacyPluginField("urls", "Callback URLs", "textarea", Required: false, Secret: false,
            "Enter callback URLs to POST new events to (one per line).", "https://sentry.io/callback/url", WebhookUrlsOption.Instance)]);

    public static LegacyPlugin Slack { get; } = new(
        "slack",
        "Slack",
        "Post notifications to a Slack channel (a Slack-compatible incoming webhook).",
        PluginEnabledOption.Slack,
        [
            new LegacyPluginField("webhook", "Webhook URL", "secret", Required: true, Secret: true,
                "Your custom Slack webhook URL.", "https://hooks.slack.com/services/000000000/000000000/00000000000000000", PluginTextOption.SlackWebhook),
            new LegacyPluginField("channel", "Channel Name", "string", Required: false, Secret: false,
                "Optional #channel name or @user", "e.g. #engineering", PluginTextOption.SlackChannel),
            new LegacyPluginField("username", "Bot Name", "string", Required: false, Secret: false,
                "The name used when publishing messages.", "e.g. Sentry", PluginTextOption.SlackUsername),
        ]);

    public static LegacyPlugin? Find(string slug) => slug switch
    {
        "webhooks" => Webhooks,
        "slack" => Slack,
        _ => null,
    };

    /// <summary>The plugin JSON (Sentry's <c>PluginSerializer</c> with <c>PluginWithConfigSerializer</c>'s <c>config</c>).</summary>
    public JsonObject ToJson(ProjectOptions options, string version) => new()
    {
        ["id"] = Slug,
        ["name"] = Name,
        ["slug"] = Slug,
        ["shortName"] = Name,
        ["type"] = "notification",
        ["canDisable"] = true,
        ["isTestable"] = true,
        ["hasConfiguration"] = true,
        ["metadata"] = new JsonObject(),
        ["contexts"] = new JsonArray(),
        ["status"] = "unknown",
        ["assets"] = new JsonArray(),
        ["doc"] = "",
        ["firstPartyAlternative"] = null,
        ["deprecationDate"] = null,
        ["altIsSentryApp"] = null,
        ["enabled"] = Enabled.Read(options),
        ["version"] = version,
        ["author"] = new JsonObject { ["name"] = "Grains", ["url"] = "https://github.com/getsentry/sentry" },
        ["isDeprecated"] = false,
        ["isHidden"] = false,
        ["description"] = Description,
        ["features"] = new JsonArray("alert-rule"),
        ["featureDescriptions"] = new JsonArray(),
        ["resourceLinks"] = new JsonArray(),
        ["config"] = new JsonArray([.. Fields.Select(f => (JsonNode?)f.ToJson(options))]),
    };
}
