using System.Text.Json.Nodes;
using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.Alerts;

/// <summary>The legacy plugin endpoints in Sentry's shapes (reference api-shapes §e).</summary>
public sealed class PluginApiTests(AlertServer server) : IClassFixture<AlertServer>
{
    private const string Org = "plugins-org";

    private async Task<string> ProjectAsync()
    {
        var slug = "p" + Guid.NewGuid().ToString("N")[..10];
        await server.CreateProjectAsync(Org, slug);
        return slug;
    }

    [Fact]
    public async Task Webhooks_is_configured_enabled_and_disabled_as_in_sentry()
    {
        var slug = await ProjectAsync();
        var path = $"/api/0/projects/{Org}/{slug}/plugins/webhooks/";

        var initial = (await server.GetAsync(path)).AssertStatus(200).Json!.AsObject();
        Assert.Equal("webhooks", initial["id"]!.GetValue<string>());
        Assert.Equal("WebHooks", initial["name"]!.GetValue<string>());
        Assert.Equal("notification", initial["type"]!.GetValue<string>());
        Assert.False(initial["enabled"]!.GetValue<bool>());
        Assert.True(initial["canDisable"]!.GetValue<bool>());
        Assert.True(initial["isTestable"]!.GetValue<bool>());
        Assert.True(initial["hasConfiguration"]!.GetValue<bool>());
        var field = Assert.Single(initial["config"]!.AsArray())!;
        Assert.Equal(("urls", "Callback URLs", "textarea", false), (field["name"]!.GetValue<string>(), field["label"]!.GetValue<string>(), field["type"]!.GetValue<string>(), field["required"]!.GetValue<bool>()));
        Assert.Null(field["value"]);

        var put = (await server.PutAsync(path, new JsonObject { ["urls"] = "https://a.example/hook\n\n  http://b.example:8080/x?y=1  " })).AssertStatus(200).Json!;
        Assert.Equal("https://a.example/hook\nhttp://b.example:8080/x?y=1", put["config"]![0]!["value"]!.GetValue<string>());
        Assert.False(put["enabled"]!.GetValue<bool>()); // PUT does not enable

        var enable = await server.SendAsync(HttpMethod.Post, path);
        enable.AssertStatus(201);
        Assert.True(string.IsNullOrEmpty(enable.Body));
        Assert.True((await server.GetAsync(path)).Json!["enabled"]!.GetValue<bool>());

        (await server.DeleteAsync(path)).AssertStatus(204);
        var disabled = (await server.GetAsync(path)).Json!;
        Assert.False(disabled["enabled"]!.GetValue<bool>());
        Assert.Equal("https://a.example/hook\nhttp://b.example:8080/x?y=1", disabled["config"]![0]!["value"]!.GetValue<string>());

        (await server.PutAsync(path, new JsonObject { ["urls"] = "" })).AssertStatus(200);
        Assert.Null((await server.GetAsync(path)).Json!["config"]![0]!["value"]);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://a.example/hook")]
    [InlineData("https://a.example/hook\nmailto:x@example.com")]
    [InlineData("//a.example/hook")]
    [InlineData("https://")]
    [InlineData("http://a.example/ hook")]
    public async Task Invalid_urls_are_refused_with_sentrys_error_and_nothing_is_stored(string urls)
    {
        var slug = await ProjectAsync();
        var path = $"/api/0/projects/{Org}/{slug}/plugins/webhooks/";

        var response = (await server.PutAsync(path, new JsonObject { ["urls"] = urls })).AssertStatus(400);

        Assert.Equal("""{"errors":{"urls":"Not a valid URL."}}""", response.Json!.ToJsonString());
        Assert.Null((await server.GetAsync(path)).Json!["config"]![0]!["value"]);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task An_unknown_plugin_is_404(string method)
    {
        var slug = await ProjectAsync();
        (await server.SendAsync(new HttpMethod(method), $"/api/0/projects/{Org}/{slug}/plugins/pagerduty/", method is "PUT" or "POST" ? "{}" : null)).AssertStatus(404);
        (await server.GetAsync($"/api/0/projects/{Org}/nope/plugins/webhooks/")).AssertStatus(404);
    }

    [Fact]
    public async Task The_test_button_posts_a_sample_and_says_whether_it_arrived()
    {
        var slug = await ProjectAsync();
        var path = $"/api/0/projects/{Org}/{slug}/plugins/webhooks/";
        var receiverPath = $"/ok/{Guid.NewGuid():N}";
        (await server.PutAsync(path, new JsonObject { ["urls"] = server.Receiver.Url + receiverPath })).AssertStatus(200);

        var ok = (await server.PostAsync(path, new JsonObject { ["test"] = true })).AssertStatus(200);
        Assert.Equal("No errors returned", ok.Json!["detail"]!.GetValue<string>());
        var sample = Assert.Single(server.Receiver.To(receiverPath));
        Assert.Equal(slug, sample.Json["project_slug"]!.GetValue<string>());

        (await server.PutAsync(path, new JsonObject { ["urls"] = server.Receiver.Url + "/fail9/" + Guid.NewGuid().ToString("N") })).AssertStatus(200);
        var failed = (await server.PostAsync(path, new JsonObject { ["test"] = true })).AssertStatus(400);
        Assert.Contains("HTTP 500", failed.Json!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slack_keeps_its_webhook_secret_and_requires_it()
    {
        var slug = await ProjectAsync();
        var path = $"/api/0/projects/{Org}/{slug}/plugins/slack/";

        var missing = (await server.PutAsync(path, new JsonObject { ["channel"] = "#alerts" })).AssertStatus(400);
        Assert.Equal("This field is required.", missing.Json!["errors"]!["webhook"]!.GetValue<string>());
        (await server.PutAsync(path, new JsonObject { ["webhook"] = "not a url" })).AssertStatus(400);

        var put = (await server.PutAsync(path, new JsonObject { ["webhook"] = "https://hooks.slack.example/services/T000/B000/XXXX", ["channel"] = "#alerts" })).AssertStatus(200).Json!;
        var webhook = put["config"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "webhook")!;
        Assert.Null(webhook["value"]);
        Assert.True(webhook["hasSavedValue"]!.GetValue<bool>());
        Assert.DoesNotContain("XXXX", put.ToJsonString(), StringComparison.Ordinal);

        // A PUT without the secret keeps it.
        (await server.PutAsync(path, new JsonObject { ["channel"] = "#ops" })).AssertStatus(200);
        Assert.True((await server.GetAsync(path)).Json!["config"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "webhook")!["hasSavedValue"]!.GetValue<bool>());
        (await server.SendAsync(HttpMethod.Post, path)).AssertStatus(201);
        Assert.True((await server.GetAsync(path)).Json!["enabled"]!.GetValue<bool>());
    }
}

/// <summary>A rule may name the webhooks service once the plugin is configured and enabled (Sentry's rule validation).</summary>
public sealed class PluginRuleTests(AlertServer server) : IClassFixture<AlertServer>
{
    [Fact]
    public async Task A_webhooks_rule_is_accepted_only_once_the_plugin_is_configured_and_enabled()
    {
        const string Org = "plugin-rules";
        var slug = "p" + Guid.NewGuid().ToString("N")[..10];
        await server.CreateProjectAsync(Org, slug);
        var rule = new JsonObject
        {
            ["name"] = "hook",
            ["actionMatch"] = "all",
            ["frequency"] = 5,
            ["conditions"] = new JsonArray(new JsonObject { ["id"] = "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition" }),
            ["actions"] = new JsonArray(new JsonObject { ["id"] = "sentry.rules.actions.notify_event_service.NotifyEventServiceAction", ["service"] = "webhooks" }),
        };

        (await server.PostAsync($"/api/0/projects/{Org}/{slug}/rules/", rule.DeepClone())).AssertStatus(400);
        (await server.PutAsync($"/api/0/projects/{Org}/{slug}/plugins/webhooks/", new JsonObject { ["urls"] = "https://a.example/hook" })).AssertStatus(200);
        (await server.PostAsync($"/api/0/projects/{Org}/{slug}/rules/", rule.DeepClone())).AssertStatus(400);
        (await server.SendAsync(HttpMethod.Post, $"/api/0/projects/{Org}/{slug}/plugins/webhooks/")).AssertStatus(201);
        var created = await server.PostAsync($"/api/0/projects/{Org}/{slug}/rules/", rule.DeepClone());
        Assert.True(created.Status is 200 or 201, $"rule creation answered {created.Status}: {created.Body}");
    }
}
