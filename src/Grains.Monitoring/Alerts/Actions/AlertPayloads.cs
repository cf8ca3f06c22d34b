using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// Builds what the channels send from a firing: the issue and the event read by id (the firing does
/// not copy them), and links built from the server's public URL.
/// </summary>
public sealed class AlertPayloads(IEventStore events, IIssueStore issues, IOptions<AlertDeliveryOptions> options)
{
    private const int MaxEventDepth = 256;

    /// <summary>The issue's page: <c>{PublicUrl}/organizations/{org}/issues/{id}/?referrer={referrer}</c>.</summary>
    public string IssueUrl(string organizationSlug, long issueId, string referrer) =>
        $"{options.Value.PublicUrl.TrimEnd('/')}/organizations/{organizationSlug}/issues/{issueId.ToString(CultureInfo.InvariantCulture)}/?referrer={referrer}";

    /// <summary>The issue of <paramref name="firing"/>, or null when it no longer exists.</summary>
    public Task<IssueRecord?> IssueAsync(AlertFiring firing, CancellationToken cancellationToken) => issues.GetAsync(firing.IssueId, cancellationToken);

    /// <summary>The triggering event's JSON (an empty object when it is gone).</summary>
    public async Task<JsonObject> EventAsync(AlertFiring firing, CancellationToken cancellationToken)
    {
        var stored = await events.GetAsync(firing.ProjectId, firing.EventId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(stored.Json.Span, documentOptions: new JsonDocumentOptions { MaxDepth = MaxEventDepth }) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// The legacy webhooks plugin's body (reference §3.3, <c>get_group_data</c>): the issue's fields, the
    /// link, the rule's label, and the full event with <c>tags</c> as pairs and <c>event_id</c>/<c>id</c>.
    /// </summary>
    public async Task<JsonObject> WebhookAsync(AlertMessage message, AlertFiring firing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(firing);
        var issue = await IssueAsync(firing, cancellationToken).ConfigureAwait(false);
        var evt = await EventAsync(firing, cancellationToken).ConfigureAwait(false);
        evt["tags"] = TagPairs(evt["tags"]);
        evt["event_id"] = firing.EventId;
        evt["id"] = firing.EventId;
        var eventMessage = Text(evt["message"]) ?? Text(evt["logentry"]?["formatted"]) ?? issue?.Title ?? "";
        return new JsonObject
        {
            ["id"] = firing.IssueId.ToString(CultureInfo.InvariantCulture),
            ["project"] = message.Project.Slug,
            ["project_name"] = message.Project.Name,
            ["project_slug"] = message.Project.Slug,
            ["logger"] = Text(evt["logger"]) ?? issue?.Logger,
            ["level"] = Text(evt["level"]) ?? issue?.Level ?? "error",
            ["culprit"] = issue?.Culprit ?? Text(evt["culprit"]) ?? "",
            ["message"] = eventMessage,
            ["url"] = IssueUrl(message.OrganizationSlug, firing.IssueId, "webhooks_plugin"),
            ["triggering_rules"] = new JsonArray(JsonValue.Create(firing.RuleLabel)),
            ["event"] = evt,
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Tags as <c>[[key, value], …]</c>: already so in a normalized event; an object is turned into pairs.</summary>
    private static JsonArray TagPairs(JsonNode? tags)
    {
        switch (tags)
        {
            case JsonArray array:
                array.Parent?.AsObject().Remove("tags");
                return array;
            case JsonObject obj:
                return new JsonArray([.. obj.Select(p => (JsonNode?)new JsonArray(JsonValue.Create(p.Key), p.Value?.DeepClone()))]);
            default:
                return [];
        }
    }
}
