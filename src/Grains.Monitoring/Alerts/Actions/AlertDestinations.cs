using System.Text.Json;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// Turns a firing's rule actions into destinations with the project's current plugin settings: a
/// webhooks action gives one destination per configured URL, slack one, email one. A plugin that is
/// disabled or not configured gives none (Sentry's rule validation refuses such actions; a plugin
/// turned off after the rule was saved silences it). Duplicates (two actions naming one plugin) collapse.
/// </summary>
public static class AlertDestinations
{
    /// <summary>The (kind, target) pairs of <paramref name="actionsJson"/>, in a stable order.</summary>
    public static IReadOnlyList<(string Kind, string Target)> Resolve(string actionsJson, ProjectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var destinations = new List<(string Kind, string Target)>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(actionsJson);
        }
        catch (JsonException)
        {
            return destinations;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return destinations;
            }

            foreach (var action in document.RootElement.EnumerateArray())
            {
                if (action.ValueKind != JsonValueKind.Object || !action.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                switch (id.GetString())
                {
                    case AlertActionIds.NotifyEventService:
                        var service = action.TryGetProperty("service", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                        if (service == "webhooks")
                        {
                            AddWebhooks(destinations, options);
                        }
                        else if (service == "slack")
                        {
                            AddSlack(destinations, options);
                        }

                        break;
                    case AlertActionIds.NotifyEvent:
                        AddWebhooks(destinations, options);
                        AddSlack(destinations, options);
                        break;
                    case AlertActionIds.NotifyEmail:
                        if (AlertRecipientsOption.Instance.Read(options).Count > 0)
                        {
                            destinations.Add((AlertDeliveryKinds.Email, ""));
                        }

                        break;
                }
            }
        }

        return [.. destinations.Distinct()];
    }

    /// <summary>The legacy plugins that are enabled and configured (what <c>NotifyEventServiceAction</c> may name).</summary>
    public static IReadOnlyList<string> EnabledPlugins(ProjectOptions options)
    {
        var plugins = new List<string>();
        if (PluginEnabledOption.Webhooks.Read(options) && WebhookUrlsOption.Instance.Read(options).Count > 0)
        {
            plugins.Add("webhooks");
        }

        if (PluginEnabledOption.Slack.Read(options) && PluginTextOption.SlackWebhook.Read(options) is not null)
        {
            plugins.Add("slack");
        }

        return plugins;
    }

    private static void AddWebhooks(List<(string Kind, string Target)> destinations, ProjectOptions options)
    {
        if (PluginEnabledOption.Webhooks.Read(options))
        {
            destinations.AddRange(WebhookUrlsOption.Instance.Read(options).Select(url => (AlertDeliveryKinds.Webhooks, url)));
        }
    }

    private static void AddSlack(List<(string Kind, string Target)> destinations, ProjectOptions options)
    {
        if (PluginEnabledOption.Slack.Read(options) && PluginTextOption.SlackWebhook.Read(options) is not null)
        {
            destinations.Add((AlertDeliveryKinds.Slack, ""));
        }
    }
}
