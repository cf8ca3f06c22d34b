using System.Text.Json.Nodes;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary><c>{plugin}:enabled</c>: whether a legacy notification plugin is on (<c>POST</c> / <c>DELETE …/plugins/{plugin}/</c>), off by default.</summary>
public sealed class PluginEnabledOption(string plugin) : BooleanProjectOption
{
    public static PluginEnabledOption Webhooks { get; } = new("webhooks");

    public static PluginEnabledOption Slack { get; } = new("slack");

    /// <summary>The plugin's slug.</summary>
    public string Plugin { get; } = plugin;

    public override string Key => Plugin + ":enabled";

    protected override JsonNode? Format(bool value) => JsonValue.Create(value);
}
