using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Actions;
using Grains.Monitoring.Projects.Options;

namespace Grains.Server.Api.Plugins;

/// <summary>One config field of a legacy plugin and the project option it is stored in.</summary>
internal sealed record LegacyPluginField(string Name, string Label, string Type, bool Required, bool Secret, string Help, string Placeholder, IProjectOption Option)
{
    /// <summary>
    /// The field as Sentry shows it. A secret's value is never returned (Sentry's secret fields answer
    /// <c>hasSavedValue</c> and a short <c>prefix</c>); here the prefix is the URL's scheme and host.
    /// </summary>
    public JsonObject ToJson(ProjectOptions options)
    {
        // An unset option reads back as Sentry's None (a list option would otherwise show "").
        var value = Option.ToApi(options) is JsonValue text && text.TryGetValue<string>(out var raw) && raw.Length == 0 ? null : Option.ToApi(options);
        var field = new JsonObject
        {
            ["name"] = Name,
            ["label"] = Label,
            ["type"] = Type,
            ["required"] = Required,
            ["help"] = Help,
            ["placeholder"] = Placeholder,
            ["choices"] = null,
            ["readonly"] = false,
            ["defaultValue"] = null,
            ["value"] = Secret ? null : value,
        };
        if (Secret)
        {
            field["hasSavedValue"] = value is not null;
            field["prefix"] = value is JsonValue v && v.TryGetValue<string>(out var url) ? WebhookUrls.Redact(url, keepPath: false) : "";
        }

        return field;
    }
}
