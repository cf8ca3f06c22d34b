using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Rules;
using Grains.Server.Dashboard.Alerts;

namespace Grains.Dashboard.Tests.Settings;

public sealed class RuleFormTests : SettingsTestContext
{
    private static readonly ProjectRecord Project = new() { Id = 7, OrganizationId = 1, Slug = "web", Name = "Web", DateCreated = DateTimeOffset.UnixEpoch };

    [Fact]
    public void Adding_and_removing_a_condition_changes_the_form()
    {
        var popovers = RenderPopoverProvider();
        var form = Render<RuleForm>();
        Assert.Empty(form.FindAll("[data-testid=rule-node]"));

        AddNode(form, popovers, "rule-add-condition", RuleNodeIds.FirstSeen);
        AddNode(form, popovers, "rule-add-condition", RuleNodeIds.Regression);

        var nodes = form.FindAll("[data-testid=rule-node]");
        Assert.Equal([RuleNodeIds.FirstSeen, RuleNodeIds.Regression], nodes.Select(n => n.GetAttribute("data-node-id")));
        Assert.Contains("A new issue is created", nodes[0].TextContent, StringComparison.Ordinal);

        nodes[0].QuerySelector("[data-testid=rule-node-remove]")!.Click();

        Assert.Equal([RuleNodeIds.Regression], form.FindAll("[data-testid=rule-node]").Select(n => n.GetAttribute("data-node-id")));
        Assert.Equal(RuleNodeIds.Regression, form.Instance.Body()["conditions"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void The_menus_offer_only_their_kind_of_node()
    {
        var popovers = RenderPopoverProvider();
        var form = Render<RuleForm>();

        form.Find("[data-testid=rule-add-action]").Click();

        var offered = popovers.FindAll("[data-testid=rule-node-option]").Select(o => o.GetAttribute("data-node-id")).ToList();
        Assert.Equal(RuleNodeCatalog.All.Where(d => d.Kind == RuleNodeKind.Action).Select(d => d.Id).Order(), offered.Order());
    }

    [Fact]
    public void Saving_sends_the_json_the_api_receives()
    {
        JsonObject? saved = null;
        var popovers = RenderPopoverProvider();
        var form = Render<RuleForm>(p => p.Add(f => f.OnSave, body => saved = body));

        form.Find("input[data-testid=rule-name]").Change("Errors spike");
        form.Find("input[data-testid=rule-environment]").Change(" production ");
        AddNode(form, popovers, "rule-add-condition", RuleNodeIds.FirstSeen);
        AddNode(form, popovers, "rule-add-condition", RuleNodeIds.EventFrequency);
        form.Find($"[data-node-id='{RuleNodeIds.EventFrequency}'] input[data-field=value]").Change("100");
        AddNode(form, popovers, "rule-add-action", RuleNodeIds.NotifyEvent);
        Save(form, () => saved);

        var expected = JsonNode.Parse($$"""
            {"name":"Errors spike","environment":"production","actionMatch":"all","filterMatch":"all","frequency":30,
             "conditions":[{"id":"{{RuleNodeIds.FirstSeen}}"},{"id":"{{RuleNodeIds.EventFrequency}}","value":100}],
             "filters":[],"actions":[{"id":"{{RuleNodeIds.NotifyEvent}}"}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, saved), saved!.ToJsonString());
    }

    [Fact]
    public void The_validators_errors_are_shown_next_to_their_fields()
    {
        JsonObject? saved = null;
        var popovers = RenderPopoverProvider();
        var form = Render<RuleForm>(p => p.Add(f => f.OnSave, body => saved = body));
        AddNode(form, popovers, "rule-add-condition", RuleNodeIds.EventFrequency);
        Save(form, () => saved);

        // What the API answers for this body: no name, a frequency condition without its fields, no action.
        using var body = JsonDocument.Parse(saved!.ToJsonString());
        var validation = RuleValidator.Validate(body.RootElement, Project.Id, new RuleNodeCheck([]), []);
        Assert.False(validation.IsValid);
        form.Render(p => p.Add(f => f.Errors, validation.Errors));

        Assert.Contains("This field may not be blank.", form.Find("[data-testid=rule-name]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(RuleValidator.GenericNodeError, form.Find("[data-testid=rule-error][data-field=conditions]").TextContent.Trim());
        Assert.Equal(RuleValidator.NoActionError, form.Find("[data-testid=rule-error][data-field=actions]").TextContent.Trim());
    }

    [Fact]
    public void A_duplicate_is_reported_under_the_name_without_its_rule_id()
    {
        var errors = new Dictionary<string, IReadOnlyList<object>>
        {
            ["name"] = ["This rule is an exact duplicate of 'Old' in this project and may not be created."],
            ["ruleId"] = [5L],
        };

        var form = Render<RuleForm>(p => p.Add(f => f.Errors, errors));

        Assert.Contains("exact duplicate of 'Old'", form.Find("[data-testid=rule-name]").Closest(".mud-input-control")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=rule-error]"));
    }

    [Fact]
    public void An_existing_rule_saved_unchanged_validates_to_the_same_rule()
    {
        var rule = new AlertRule
        {
            Id = 12,
            ProjectId = Project.Id,
            Label = "Many errors",
            Environment = "production",
            ActionMatch = RuleMatch.Any,
            FilterMatch = RuleMatch.None,
            Frequency = 60,
            ConditionsJson = $$"""[{"id":"{{RuleNodeIds.EventFrequency}}","value":100,"interval":"1h","comparisonType":"count"},{"id":"{{RuleNodeIds.FirstSeen}}"}]""",
            FiltersJson = $$"""[{"id":"{{RuleNodeIds.Level}}","match":"gte","level":"40"},{"id":"{{RuleNodeIds.TaggedEvent}}","key":"browser","match":"is"}]""",
            ActionsJson = $$"""[{"id":"{{RuleNodeIds.NotifyEmail}}","targetType":"IssueOwners","fallthroughType":"ActiveMembers"},{"id":"{{RuleNodeIds.NotifyEventService}}","service":"webhooks","uuid":"3f1c"}]""",
            DateCreated = DateTimeOffset.UnixEpoch,
        };
        JsonObject? saved = null;
        var form = Render<RuleForm>(p => p
            .Add(f => f.Rule, RuleSerializer.Rule(rule, Project))
            .Add(f => f.Services, ["webhooks"])
            .Add(f => f.OnSave, body => saved = body));

        Assert.Equal(6, form.FindAll("[data-testid=rule-node]").Count);
        Save(form, () => saved);

        using var body = JsonDocument.Parse(saved!.ToJsonString());
        var validation = RuleValidator.Validate(body.RootElement, Project.Id, new RuleNodeCheck(["webhooks"]), [], rule);
        Assert.True(validation.IsValid, string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        var stored = validation.Rule!;
        Assert.Equal((rule.Label, rule.Environment, rule.ActionMatch, rule.FilterMatch, rule.Frequency), (stored.Label, stored.Environment, stored.ActionMatch, stored.FilterMatch, stored.Frequency));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rule.ConditionsJson), JsonNode.Parse(stored.ConditionsJson)), stored.ConditionsJson);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rule.FiltersJson), JsonNode.Parse(stored.FiltersJson)), stored.FiltersJson);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(rule.ActionsJson), JsonNode.Parse(stored.ActionsJson)), stored.ActionsJson);
    }

    // Generous: conditions are polled, so a quiet machine does not wait; a loaded one (2 cores under CI) may need it.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // The button's handler may finish after Click returns.
    private static void Save(IRenderedComponent<RuleForm> form, Func<JsonObject?> saved)
    {
        form.Find("[data-testid=rule-save]").Click();
        form.WaitForState(() => saved() is not null, Wait);
    }

    private static void AddNode(IRenderedComponent<RuleForm> form, IRenderedComponent<MudBlazor.MudPopoverProvider> popovers, string menu, string nodeId)
    {
        var before = form.FindAll("[data-testid=rule-node]").Count;
        form.Find($"[data-testid={menu}]").Click();
        // The menu opens asynchronously: wait for its item rather than expect it at once (the CI machine may be loaded).
        popovers.WaitForElement($"[data-testid=rule-node-option][data-node-id='{nodeId}']", Wait).Click();

        // The menu item runs its action after the menu has closed (asynchronously).
        form.WaitForState(() => form.FindAll("[data-testid=rule-node]").Count > before, Wait);
        popovers.WaitForState(() => popovers.FindAll(".mud-popover-open").Count == 0, Wait);
    }
}
