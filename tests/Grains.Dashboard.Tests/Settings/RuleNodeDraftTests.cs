using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;
using Grains.Server.Dashboard.Alerts;

namespace Grains.Dashboard.Tests.Settings;

public sealed class RuleNodeDraftTests
{
    [Theory]
    [InlineData(RuleNodeIds.EventFrequency, "100", "100")]
    [InlineData(RuleNodeIds.EventFrequency, " 7 ", "7")]
    [InlineData(RuleNodeIds.EventFrequency, "1.5", "\"1.5\"")]
    [InlineData(RuleNodeIds.EventFrequency, "abc", "\"abc\"")]
    [InlineData(RuleNodeIds.EventFrequency, "", null)]
    [InlineData(RuleNodeIds.EventFrequency, "   ", null)]
    [InlineData(RuleNodeIds.EventFrequencyPercent, "2.5", "2.5")]
    [InlineData(RuleNodeIds.EventFrequencyPercent, "3", "3")]
    [InlineData(RuleNodeIds.EventFrequencyPercent, "NaN", "\"NaN\"")]
    [InlineData(RuleNodeIds.IssueOccurrences, "-4", "-4")]
    public void A_number_field_is_sent_as_a_number_only_when_it_is_one(string nodeId, string typed, string? expectedJson)
    {
        var draft = new RuleNodeDraft(nodeId);
        draft.Values["value"] = typed;

        var json = draft.ToJson();

        Assert.Equal(expectedJson, json["value"]?.ToJsonString());
    }

    [Fact]
    public void A_text_field_keeps_digits_as_text()
    {
        var draft = new RuleNodeDraft(RuleNodeIds.TaggedEvent);
        draft.Values["key"] = "build";
        draft.Values["match"] = "eq";
        draft.Values["value"] = "42";

        Assert.Equal($$"""{"id":"{{RuleNodeIds.TaggedEvent}}","key":"build","match":"eq","value":"42"}""", draft.ToJson().ToJsonString());
    }

    [Fact]
    public void A_stored_node_keeps_what_the_form_does_not_show_and_drops_its_rendered_name()
    {
        var stored = JsonNode.Parse($$$"""{"id":"{{{RuleNodeIds.NotifyEventService}}}","service":"webhooks","uuid":"3f1c","extra":{"a":1},"name":"Send a notification via webhooks"}""")!.AsObject();

        var json = RuleNodeDraft.FromJson(stored).ToJson();

        Assert.Equal($$$"""{"id":"{{{RuleNodeIds.NotifyEventService}}}","service":"webhooks","uuid":"3f1c","extra":{"a":1}}""", json.ToJsonString());
    }

    [Fact]
    public void Every_node_of_the_catalog_filled_in_from_its_form_is_valid()
    {
        foreach (var definition in RuleNodeCatalog.All)
        {
            var draft = new RuleNodeDraft(definition.Id);
            foreach (var field in draft.Fields)
            {
                draft.Values[field.Name] = field.Kind switch
                {
                    RuleNodeFieldKind.Choice => field.Choices[0].Key,
                    RuleNodeFieldKind.Service => "webhooks",
                    RuleNodeFieldKind.Text => "x",
                    _ => "1",
                };
            }

            var kind = definition.Kind switch
            {
                RuleNodeKind.Condition => "conditions",
                RuleNodeKind.Filter => "filters",
                _ => "actions",
            };
            var body = new JsonObject { ["name"] = "r", ["actionMatch"] = "all", ["filterMatch"] = "all", ["actions"] = new JsonArray(new JsonObject { ["id"] = RuleNodeIds.NotifyEvent }) };
            body[kind] = new JsonArray(draft.ToJson());
            using var document = JsonDocument.Parse(body.ToJsonString());

            var validation = RuleValidator.Validate(document.RootElement, 1, new RuleNodeCheck(["webhooks"]), []);

            Assert.True(validation.IsValid, $"{definition.Id}: {string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}"))}");
        }
    }

    [Fact]
    public void Every_prompt_names_only_fields_of_its_node()
    {
        foreach (var definition in RuleNodeCatalog.All)
        {
            var prompt = RuleNodeCatalog.Prompt(definition.Id);
            Assert.False(string.IsNullOrEmpty(prompt), definition.Id);
            var named = System.Text.RegularExpressions.Regex.Matches(prompt!, @"\{(\w+)\}").Select(m => m.Groups[1].Value);
            Assert.All(named, name => Assert.Contains(name, RuleNodeCatalog.Fields(definition.Id).Select(f => f.Name)));
        }
    }
}
