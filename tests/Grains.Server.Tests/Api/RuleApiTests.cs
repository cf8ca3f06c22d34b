using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;

namespace Grains.Server.Tests.Api;

/// <summary>Issue alert rules through Sentry's API (api-shapes §e): shapes, defaults, validation errors and 404s.</summary>
public sealed class RuleApiTests(RuleApiTests.Server server) : IClassFixture<RuleApiTests.Server>
{
    private const string Org = "rules-org";

    /// <summary>The API server (a fixture type of its own so these tests get one server).</summary>
    public sealed class Server : ApiServer;

    private static JsonObject ValidBody() => new()
    {
        ["name"] = "big spike",
        ["actionMatch"] = "any",
        ["filterMatch"] = "all",
        ["frequency"] = 60,
        ["environment"] = "production",
        ["owner"] = "team:3",
        ["conditions"] = new JsonArray(
            new JsonObject { ["id"] = RuleNodeIds.FirstSeen },
            new JsonObject { ["id"] = RuleNodeIds.EventFrequency, ["value"] = 100, ["interval"] = "1h", ["comparisonType"] = "count" },
            new JsonObject { ["id"] = RuleNodeIds.EventUniqueUserFrequency, ["value"] = 50, ["interval"] = "1d", ["comparisonType"] = "percent", ["comparisonInterval"] = "1w" }),
        ["filters"] = new JsonArray(
            new JsonObject { ["id"] = RuleNodeIds.Level, ["match"] = "gte", ["level"] = "40" },
            new JsonObject { ["id"] = RuleNodeIds.TaggedEvent, ["key"] = "browser", ["match"] = "is" }),
        ["actions"] = new JsonArray(
            new JsonObject { ["id"] = RuleNodeIds.NotifyEventService, ["service"] = "webhooks" },
            new JsonObject { ["id"] = RuleNodeIds.NotifyEmail, ["targetType"] = "Member", ["targetIdentifier"] = 42 }),
    };

    private static string UniqueSlug() => "r" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> ProjectAsync()
    {
        var slug = UniqueSlug();
        await server.CreateProjectAsync(Org, slug);

        // Sentry accepts NotifyEventServiceAction only for a plugin that is configured and enabled.
        (await server.PutAsync($"/api/0/projects/{Org}/{slug}/plugins/webhooks/", new JsonObject { ["urls"] = "https://hooks.example.com/a" })).AssertStatus(200);
        (await server.SendAsync(HttpMethod.Post, $"/api/0/projects/{Org}/{slug}/plugins/webhooks/", "")).AssertStatus(201);
        return $"/api/0/projects/{Org}/{slug}/rules/";
    }

    [Fact]
    public async Task A_new_project_has_sentrys_default_rule()
    {
        var rules = (await server.GetAsync(await ProjectAsync())).AssertStatus(200).Json!.AsArray();

        var rule = Assert.Single(rules)!;
        Assert.Equal("Send a notification for new issues", rule["name"]!.GetValue<string>());
        Assert.Equal("all", rule["actionMatch"]!.GetValue<string>());
        Assert.Equal("all", rule["filterMatch"]!.GetValue<string>());
        Assert.Equal(30, rule["frequency"]!.GetValue<int>());
        var condition = Assert.Single(rule["conditions"]!.AsArray())!;
        Assert.Equal(RuleNodeIds.FirstSeen, condition["id"]!.GetValue<string>());
        Assert.Equal("A new issue is created", condition["name"]!.GetValue<string>());
        Assert.Empty(rule["filters"]!.AsArray());
        var action = Assert.Single(rule["actions"]!.AsArray())!;
        Assert.Equal(RuleNodeIds.NotifyEmail, action["id"]!.GetValue<string>());
        Assert.Equal("IssueOwners", action["targetType"]!.GetValue<string>());
        Assert.Equal("ActiveMembers", action["fallthroughType"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_project_created_without_default_rules_has_none()
    {
        var slug = UniqueSlug();
        await server.CreateProjectAsync(Org, "seed-org-" + slug); // makes sure the organization exists
        (await server.PostAsync($"/api/0/organizations/{Org}/projects/", new JsonObject { ["name"] = slug, ["slug"] = slug, ["default_rules"] = false })).AssertStatus(201);

        Assert.Empty((await server.GetAsync($"/api/0/projects/{Org}/{slug}/rules/")).AssertStatus(200).Json!.AsArray());
    }

    [Fact]
    public async Task Create_get_list_update_and_delete_in_sentrys_shapes()
    {
        var path = await ProjectAsync();
        var slug = path.Split('/')[5];

        var created = (await server.PostAsync(path, ValidBody())).AssertStatus(200).Json!;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("big spike", created["name"]!.GetValue<string>());
        Assert.Equal("any", created["actionMatch"]!.GetValue<string>());
        Assert.Equal(60, created["frequency"]!.GetValue<int>());
        Assert.Equal("production", created["environment"]!.GetValue<string>());
        Assert.Equal("team:3", created["owner"]!.GetValue<string>());
        Assert.Equal([slug], created["projects"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.False(created["snooze"]!.GetValue<bool>());
        Assert.Null(created["createdBy"]);
        Assert.True(created.AsObject().ContainsKey("createdBy"));
        Assert.EndsWith("Z", created["dateCreated"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(
            ["A new issue is created", "The issue is seen more than 100 times in one hour", "The issue is seen by more than 50% higher users in one day in comparison to one week ago"],
            created["conditions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(
            ["The event's level is greater than or equal to error", "The event's tags match browser is set"],
            created["filters"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var actions = created["actions"]!.AsArray();
        Assert.Equal("Send a notification via webhooks", actions[0]!["name"]!.GetValue<string>());
        Assert.Equal("42", actions[1]!["targetIdentifier"]!.GetValue<string>());
        Assert.Equal("ActiveMembers", actions[1]!["fallthroughType"]!.GetValue<string>());

        var read = (await server.GetAsync(path + id + "/")).AssertStatus(200).Json!;
        Assert.True(JsonNode.DeepEquals(created, read), read.ToJsonString());

        var list = (await server.GetAsync(path)).AssertStatus(200).Json!.AsArray();
        Assert.Equal([id, list[1]!["id"]!.GetValue<string>()], list.Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal("Send a notification for new issues", list[1]!["name"]!.GetValue<string>());

        var body = ValidBody();
        body["name"] = "renamed";
        body["frequency"] = 1440;
        body.Remove("environment");
        var updated = (await server.PutAsync(path + id + "/", body)).AssertStatus(200).Json!;
        Assert.Equal(id, updated["id"]!.GetValue<string>());
        Assert.Equal("renamed", updated["name"]!.GetValue<string>());
        Assert.Equal(1440, updated["frequency"]!.GetValue<int>());
        Assert.Null(updated["environment"]);
        Assert.Equal(created["dateCreated"]!.GetValue<string>(), updated["dateCreated"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(updated, (await server.GetAsync(path + id + "/")).Json));

        (await server.DeleteAsync(path + id + "/")).AssertStatus(202);
        (await server.GetAsync(path + id + "/")).AssertStatus(404);
        (await server.DeleteAsync(path + id + "/")).AssertStatus(404);
        Assert.Single((await server.GetAsync(path)).Json!.AsArray());
    }

    [Fact]
    public async Task Omitted_frequency_and_filter_match_take_sentrys_defaults()
    {
        var path = await ProjectAsync();
        var body = ValidBody();
        body.Remove("frequency");
        body.Remove("filterMatch");
        body.Remove("filters");

        var created = (await server.PostAsync(path, body)).AssertStatus(200).Json!;

        Assert.Equal(30, created["frequency"]!.GetValue<int>());
        Assert.Equal("all", created["filterMatch"]!.GetValue<string>());
        Assert.Empty(created["filters"]!.AsArray());
    }

    [Fact]
    public async Task An_exact_duplicate_is_refused_with_the_rule_it_duplicates()
    {
        var path = await ProjectAsync();
        var first = (await server.PostAsync(path, ValidBody())).AssertStatus(200).Json!;
        var body = ValidBody();
        body["name"] = "another name";

        var refused = (await server.PostAsync(path, body)).AssertStatus(400).Json!;

        Assert.Equal("This rule is an exact duplicate of 'big spike' in this project and may not be created.", refused["name"]![0]!.GetValue<string>());
        Assert.Equal(long.Parse(first["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), refused["ruleId"]![0]!.GetValue<long>());

        // Updating the rule to itself is not a duplicate.
        (await server.PutAsync(path + first["id"]!.GetValue<string>() + "/", ValidBody())).AssertStatus(200);
    }

    [Theory]
    [InlineData("name", """{"name": null}""", "This field may not be null.")]
    [InlineData("name", """{"name": "__remove__"}""", "This field is required.")]
    [InlineData("name", """{"name": "   "}""", "This field may not be blank.")]
    [InlineData("name", """{"name": "LONG"}""", "Ensure this field has no more than 256 characters.")]
    [InlineData("name", """{"name": ["x"]}""", "Not a valid string.")]
    [InlineData("actionMatch", """{"actionMatch": "sometimes"}""", "\"sometimes\" is not a valid choice.")]
    [InlineData("actionMatch", """{"actionMatch": "__remove__"}""", "This field is required.")]
    [InlineData("filterMatch", """{"filterMatch": "most"}""", "\"most\" is not a valid choice.")]
    [InlineData("filterMatch", """{"filterMatch": "__remove__"}""", "Must select a filter match (all, any, none) if filters are supplied.")]
    [InlineData("frequency", """{"frequency": 4}""", "Ensure this value is greater than or equal to 5.")]
    [InlineData("frequency", """{"frequency": 43201}""", "Ensure this value is less than or equal to 43200.")]
    [InlineData("frequency", """{"frequency": "often"}""", "A valid integer is required.")]
    [InlineData("frequency", """{"frequency": 7.5}""", "A valid integer is required.")]
    [InlineData("environment", """{"environment": 5}""", "Not a valid string.")]
    [InlineData("owner", """{"owner": "bob"}""", "Could not parse actor. Format should be `type:id` where type is `team` or `user`.")]
    [InlineData("owner", """{"owner": "org:1"}""", "Could not parse actor. Format should be `type:id` where type is `team` or `user`.")]
    [InlineData("conditions", """{"conditions": "first seen"}""", "Expected a list of items but got type \"str\".")]
    [InlineData("conditions", """{"conditions": [5]}""", "Invalid node")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.nope.Nope"}]}""", "Invalid node. Could not find 'sentry.rules.conditions.nope.Nope'")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.filters.level.LevelFilter", "match": "eq", "level": "40"}]}""", "Invalid node. Could not find 'sentry.rules.filters.level.LevelFilter'")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyCondition", "value": 10}]}""", "Ensure at least one action is enabled and all required fields are filled in.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyCondition", "value": 10, "interval": "2h"}]}""", "Select a valid choice. 2h is not one of the available choices.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyCondition", "value": "lots", "interval": "1h"}]}""", "Enter a whole number.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyCondition", "value": -1, "interval": "1h"}]}""", "Ensure this value is greater than or equal to 0.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyCondition", "value": 10, "interval": "1h", "comparisonType": "ratio"}]}""", "Select a valid choice. ratio is not one of the available choices.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyCondition", "value": 10, "interval": "1h", "comparisonType": "percent"}]}""", "comparisonInterval is required when comparing by percent")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyCondition", "value": 10, "interval": "1h", "comparisonType": "percent", "comparisonInterval": "2d"}]}""", "Select a valid choice. 2d is not one of the available choices.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventUniqueUserFrequencyCondition", "value": 10, "interval": "10m"}]}""", "Select a valid choice. 10m is not one of the available choices.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyPercentCondition", "value": 10, "interval": "1d"}]}""", "Select a valid choice. 1d is not one of the available choices.")]
    [InlineData("conditions", """{"conditions": [{"id": "sentry.rules.conditions.event_frequency.EventFrequencyPercentCondition", "value": "half", "interval": "10m"}]}""", "Enter a number.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.level.LevelFilter", "match": "eq", "level": "45"}]}""", "Select a valid choice. 45 is not one of the available choices.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.level.LevelFilter", "match": "gt", "level": "40"}]}""", "Select a valid choice. gt is not one of the available choices.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.tagged_event.TaggedEventFilter", "key": "browser", "match": "regex", "value": "x"}]}""", "Select a valid choice. regex is not one of the available choices.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.tagged_event.TaggedEventFilter", "key": "browser", "match": "eq"}]}""", "Ensure at least one action is enabled and all required fields are filled in.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.tagged_event.TaggedEventFilter", "match": "is"}]}""", "Ensure at least one action is enabled and all required fields are filled in.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.event_attribute.EventAttributeFilter", "attribute": "foo.bar", "match": "eq", "value": "x"}]}""", "Select a valid choice. foo.bar is not one of the available choices.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.age_comparison.AgeComparisonFilter", "comparison_type": "older", "value": 3, "time": "year"}]}""", "Select a valid choice. year is not one of the available choices.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.age_comparison.AgeComparisonFilter", "comparison_type": "younger", "value": 3, "time": "day"}]}""", "Select a valid choice. younger is not one of the available choices.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.issue_occurrences.IssueOccurrencesFilter", "value": "many"}]}""", "Enter a whole number.")]
    [InlineData("filters", """{"filters": [{"id": "sentry.rules.filters.assigned_to.AssignedToFilter", "targetType": "Team"}]}""", "Ensure at least one action is enabled and all required fields are filled in.")]
    [InlineData("actions", """{"actions": []}""", "You must add an action for this alert to fire.")]
    [InlineData("actions", """{"actions": "__remove__"}""", "You must add an action for this alert to fire.")]
    [InlineData("actions", """{"actions": [{"id": "sentry.rules.actions.notify_event_service.NotifyEventServiceAction", "service": "slack"}]}""", "Select a valid choice. slack is not one of the available choices.")]
    [InlineData("actions", """{"actions": [{"id": "sentry.rules.actions.notify_event_service.NotifyEventServiceAction"}]}""", "Ensure at least one action is enabled and all required fields are filled in.")]
    [InlineData("actions", """{"actions": [{"id": "sentry.mail.actions.NotifyEmailAction", "targetType": "Team"}]}""", "Ensure at least one action is enabled and all required fields are filled in.")]
    [InlineData("actions", """{"actions": [{"id": "sentry.mail.actions.NotifyEmailAction", "targetType": "Everyone"}]}""", "Select a valid choice. Everyone is not one of the available choices.")]
    [InlineData("actions", """{"actions": [{"id": "sentry.mail.actions.NotifyEmailAction", "targetType": "IssueOwners", "fallthroughType": "Nobody"}]}""", "Select a valid choice. Nobody is not one of the available choices.")]
    [InlineData("actions", """{"actions": [{"id": "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition"}]}""", "Invalid node. Could not find 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition'")]
    public async Task Invalid_rules_are_refused_naming_the_field(string field, string patch, string message)
    {
        var path = await ProjectAsync();
        var body = ValidBody();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            if (value?.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>() == "__remove__")
            {
                body.Remove(key);
            }
            else if (value?.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>() == "LONG")
            {
                body[key] = new string('x', 257);
            }
            else
            {
                body[key] = value?.DeepClone();
            }
        }

        var created = (await server.PostAsync(path, body)).AssertStatus(400).Json!;
        Assert.Equal(message, created[field]![0]!.GetValue<string>());

        // The same body is refused on update, and nothing was stored.
        var rules = (await server.GetAsync(path)).Json!.AsArray();
        var id = Assert.Single(rules)!["id"]!.GetValue<string>();
        var updated = (await server.PutAsync(path + id + "/", body)).AssertStatus(400).Json!;
        Assert.Equal(message, updated[field]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_ids_and_other_projects_rules_are_404()
    {
        var path = await ProjectAsync();
        var other = await ProjectAsync();
        var created = (await server.PostAsync(path, ValidBody())).AssertStatus(200).Json!;
        var id = created["id"]!.GetValue<string>();

        (await server.GetAsync(other + id + "/")).AssertStatus(404);
        (await server.PutAsync(other + id + "/", ValidBody())).AssertStatus(404);
        (await server.DeleteAsync(other + id + "/")).AssertStatus(404);
        (await server.GetAsync(path + "999999999/")).AssertStatus(404);
        (await server.GetAsync(path + "abc/")).AssertStatus(404);
        (await server.GetAsync(path + "-1/")).AssertStatus(404);
        (await server.GetAsync($"/api/0/projects/{Org}/no-such-project/rules/")).AssertStatus(404);
        (await server.PostAsync($"/api/0/projects/{Org}/no-such-project/rules/", ValidBody())).AssertStatus(404);
        (await server.GetAsync(path + id + "/")).AssertStatus(200);
    }

    [Fact]
    public async Task Rules_need_the_token()
    {
        var path = await ProjectAsync();

        (await server.SendAsync(HttpMethod.Get, path, client: server.Anonymous)).AssertStatus(401);
        (await server.SendAsync(HttpMethod.Post, path, ValidBody().ToJsonString(), server.Anonymous)).AssertStatus(401);
    }

    [Fact]
    public async Task A_malformed_body_is_a_400_with_a_detail()
    {
        var path = await ProjectAsync();

        var response = (await server.SendAsync(HttpMethod.Post, path, "{\"name\": ")).AssertStatus(400);
        Assert.StartsWith("Malformed JSON body", response.Detail, StringComparison.Ordinal);
        (await server.SendAsync(HttpMethod.Post, path, "[1]")).AssertStatus(400);
    }
}
