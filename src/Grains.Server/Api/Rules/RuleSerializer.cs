using System.Globalization;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;

namespace Grains.Server.Api.Rules;

/// <summary>Sentry's rule JSON (<c>RuleSerializer</c>, api-shapes §e): the stored nodes, each with its rendered <c>name</c>.</summary>
internal static class RuleSerializer
{
    public static JsonObject Rule(AlertRule rule, ProjectRecord project) => new()
    {
        ["id"] = rule.Id.ToString(CultureInfo.InvariantCulture),
        ["conditions"] = Nodes(rule.ConditionsJson),
        ["filters"] = Nodes(rule.FiltersJson),
        ["actions"] = Nodes(rule.ActionsJson),
        ["actionMatch"] = rule.ActionMatch,
        ["filterMatch"] = rule.FilterMatch,
        ["frequency"] = rule.Frequency,
        ["name"] = rule.Label,
        ["dateCreated"] = ApiTime.Format(rule.DateCreated),
        ["owner"] = rule.Owner,
        ["createdBy"] = rule.CreatedByJson is { } createdBy ? JsonNode.Parse(createdBy) : null,
        ["environment"] = rule.Environment,
        ["projects"] = new JsonArray(JsonValue.Create(project.Slug)),
        ["status"] = rule.Status,
        ["snooze"] = false,
    };

    private static JsonArray Nodes(string json)
    {
        var nodes = new JsonArray();
        foreach (var node in (JsonNode.Parse(json) as JsonArray ?? []).OfType<JsonObject>())
        {
            var copy = (JsonObject)node.DeepClone();
            var definition = RuleNodeCatalog.Find(NodeForm(copy));
            copy["name"] = definition?.Render(copy) ?? NodeForm(copy);
            nodes.Add(copy);
        }

        return nodes;
    }

    private static string NodeForm(JsonObject node) => node["id"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node["id"]!.GetValue<string>() : "";
}
