using System.Globalization;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Actions;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;

namespace Grains.Server.Api.Plugins;

/// <summary>
/// The plugins' "test" button: one sample notification sent at once (not through the outbox), to every
/// configured URL, within the delivery timeout. Its delivery id is random: it stands for no firing.
/// </summary>
internal static class PluginTest
{
    /// <summary>Null when every receiver accepted it, else why not (no secrets).</summary>
    public static async Task<string?> SendAsync(string plugin, ProjectRecord project, string organization, ProjectOptions options, AlertHttp http, AlertDeliveryOptions settings, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var link = $"{settings.PublicUrl.TrimEnd('/')}/organizations/{organization}/issues/";
        var targets = new List<(string Url, JsonObject Body, string UserAgent)>();
        if (plugin == "webhooks")
        {
            foreach (var url in WebhookUrlsOption.Instance.Read(options))
            {
                targets.Add((url, Sample(project, link), AlertHttp.WebhooksUserAgent));
            }
        }
        else if (PluginTextOption.SlackWebhook.Read(options) is { } webhook)
        {
            targets.Add((webhook, new JsonObject { ["text"] = $"Test notification from Grains for project {project.Slug}." }, "Grains-Alerts"));
        }

        if (targets.Count == 0)
        {
            return "The plugin is not configured.";
        }

        var failures = new List<string>();
        foreach (var (url, body, userAgent) in targets)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(settings.Timeout);
            try
            {
                var result = await HttpAttempt.PostAsync(http.Client, url, userAgent, id, body, deadline.Token);
                if (!result.Delivered)
                {
                    failures.Add($"{WebhookUrls.Redact(url, plugin == "webhooks")}: {result.Error}");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{WebhookUrls.Redact(url, plugin == "webhooks")}: timed out after {settings.Timeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms");
            }
        }

        return failures.Count == 0 ? null : string.Join("; ", failures);
    }

    private static JsonObject Sample(ProjectRecord project, string link) => new()
    {
        ["id"] = "0",
        ["project"] = project.Slug,
        ["project_name"] = project.Name,
        ["project_slug"] = project.Slug,
        ["logger"] = null,
        ["level"] = "error",
        ["culprit"] = "raven.scripts.runner in main",
        ["message"] = "This is an example Python exception",
        ["url"] = link,
        ["triggering_rules"] = new JsonArray(),
        ["event"] = new JsonObject
        {
            ["event_id"] = new string('0', 32),
            ["id"] = new string('0', 32),
            ["level"] = "error",
            ["message"] = "This is an example Python exception",
            ["tags"] = new JsonArray(new JsonArray("level", "error")),
        },
    };
}
