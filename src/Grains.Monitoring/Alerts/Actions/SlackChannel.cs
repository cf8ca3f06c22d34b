using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Delivery;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// A Slack-compatible incoming webhook (the legacy <c>slack</c> plugin): <c>{"text", "blocks"}</c>, plus
/// <c>channel</c> and <c>username</c> when configured. The webhook URL is a secret: read from the
/// project's options at send time, never stored in the delivery nor logged.
/// </summary>
public sealed class SlackChannel(AlertHttp http, AlertPayloads payloads) : IAlertChannel
{
    public string Kind => AlertDeliveryKinds.Slack;

    public bool Batches => false;

    public async Task<AlertAttemptResult> SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (delivery, firing) = message.Items[0];
        if (!PluginEnabledOption.Slack.Read(message.Options) || PluginTextOption.SlackWebhook.Read(message.Options) is not { } url)
        {
            return AlertAttemptResult.Unsendable("the slack plugin is disabled or has no webhook");
        }

        var issue = await payloads.IssueAsync(firing, cancellationToken).ConfigureAwait(false);
        var title = issue?.Title ?? "Alert";
        var link = payloads.IssueUrl(message.OrganizationSlug, firing.IssueId, "slack");
        var body = Body(message, firing, title, issue?.Culprit, link);
        return await HttpAttempt.PostAsync(http.Client, url, "Grains-Alerts", delivery.Id, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The message: a plain-text fallback and Block Kit sections (title with link, culprit, rule and project).</summary>
    public static JsonObject Body(AlertMessage message, AlertFiring firing, string title, string? culprit, string link)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(firing);
        var text = $"[{message.Project.Slug}] {title}";
        var body = new JsonObject
        {
            ["text"] = $"{text} {link}",
            ["blocks"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*<{link}|{Escape(title)}>*" + (string.IsNullOrEmpty(culprit) ? "" : $"\n{Escape(culprit)}") },
                },
                new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "mrkdwn",
                        ["text"] = $"Project: {Escape(message.Project.Slug)} | Rule: {Escape(firing.RuleLabel)}",
                    }),
                }),
        };
        if (PluginTextOption.SlackChannel.Read(message.Options) is { } channel)
        {
            body["channel"] = channel;
        }

        if (PluginTextOption.SlackUsername.Read(message.Options) is { } username)
        {
            body["username"] = username;
        }

        return body;
    }

    // Slack's mrkdwn control characters.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
