using System.Collections.Immutable;
using System.Text.Json;
using Grains.Monitoring.Alerts.Actions;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Tests.Alerts;

public sealed class AlertDeliveryUnitTests
{
    private static ProjectOptions Options(params (IProjectOption Option, string Input)[] values)
    {
        var stored = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (option, input) in values)
        {
            using var document = JsonDocument.Parse(input);
            var parsed = option.Parse(document.RootElement);
            Assert.True(parsed.IsValid, parsed.Error);
            if (parsed.ValueJson is { } json)
            {
                stored[option.Key] = json;
            }
        }

        return new ProjectOptions(stored.ToImmutable());
    }

    [Theory]
    [InlineData("https://a.example/hook", true)]
    [InlineData("http://127.0.0.1:8080/x?y=1", true)]
    [InlineData("HTTPS://A.EXAMPLE/", true)]
    [InlineData("ftp://a.example/", false)]
    [InlineData("a.example/hook", false)]
    [InlineData("//a.example/hook", false)]
    [InlineData("https://", false)]
    [InlineData("http://a.example/ x", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("", false)]
    public void Webhook_urls_are_validated(string url, bool valid) => Assert.Equal(valid, WebhookUrls.IsValid(url));

    [Theory]
    [InlineData("https://user:pw@a.example:8443/hook?token=x", "https://a.example:8443/hook")]
    [InlineData("http://a.example/p", "http://a.example/p")]
    [InlineData("nonsense", "(invalid url)")]
    public void Redaction_drops_credentials_and_queries(string url, string expected) => Assert.Equal(expected, WebhookUrls.Redact(url));

    [Theory]
    [InlineData("\"a@example.com\\nb@example.com\"", true)]
    [InlineData("\"not an address\"", false)]
    [InlineData("\"Name <a@example.com>\"", false)]
    [InlineData("42", false)]
    public void Recipients_are_validated(string input, bool valid)
    {
        using var document = JsonDocument.Parse(input);
        Assert.Equal(valid, AlertRecipientsOption.Instance.Parse(document.RootElement).IsValid);
    }

    [Theory]
    [InlineData("300", true)]
    [InlineData("\"60\"", true)]
    [InlineData("0", true)]
    [InlineData("null", true)]
    [InlineData("-1", false)]
    [InlineData("86401", false)]
    [InlineData("1.5", false)]
    [InlineData("\"soon\"", false)]
    [InlineData("true", false)]
    public void Digest_delays_are_validated(string input, bool valid)
    {
        using var document = JsonDocument.Parse(input);
        Assert.Equal(valid, DigestDelayOption.Minimum.Parse(document.RootElement).IsValid);
    }

    [Fact]
    public void Actions_resolve_to_the_enabled_and_configured_destinations()
    {
        const string Service = """{"id":"sentry.rules.actions.notify_event_service.NotifyEventServiceAction","service":"webhooks"}""";
        const string Slack = """{"id":"sentry.rules.actions.notify_event_service.NotifyEventServiceAction","service":"slack"}""";
        const string All = """{"id":"sentry.rules.actions.notify_event.NotifyEventAction"}""";
        const string Email = """{"id":"sentry.mail.actions.NotifyEmailAction","targetType":"IssueOwners","fallthroughType":"ActiveMembers"}""";
        var configured = Options(
            (WebhookUrlsOption.Instance, "\"http://a/1\\nhttp://b/2\""),
            (PluginEnabledOption.Webhooks, "true"),
            (PluginTextOption.SlackWebhook, "\"https://hooks.example/T/B/X\""),
            (PluginEnabledOption.Slack, "true"),
            (AlertRecipientsOption.Instance, "\"ops@example.com\""));

        Assert.Equal([("webhooks", "http://a/1"), ("webhooks", "http://b/2")], AlertDestinations.Resolve($"[{Service}]", configured));
        Assert.Equal([("slack", "")], AlertDestinations.Resolve($"[{Slack}]", configured));
        Assert.Equal([("webhooks", "http://a/1"), ("webhooks", "http://b/2"), ("slack", "")], AlertDestinations.Resolve($"[{All},{Service},{Slack}]", configured));
        Assert.Equal([("email", "")], AlertDestinations.Resolve($"[{Email},{Email}]", configured));
        Assert.Equal(["webhooks", "slack"], AlertDestinations.EnabledPlugins(configured));

        var disabled = Options((WebhookUrlsOption.Instance, "\"http://a/1\""));
        Assert.Empty(AlertDestinations.Resolve($"[{Service},{All},{Slack},{Email}]", disabled));
        Assert.Empty(AlertDestinations.EnabledPlugins(disabled));

        foreach (var malformed in new[] { "", "{}", "[1]", "[{}]", """[{"id":1}]""", """[{"id":"unknown.Action"}]""", """[{"id":"sentry.rules.actions.notify_event_service.NotifyEventServiceAction"}]""" })
        {
            Assert.Empty(AlertDestinations.Resolve(malformed, configured));
        }
    }

    [Fact]
    public void Back_off_doubles_with_jitter_in_the_upper_half_and_is_capped()
    {
        var random = new Random(7);
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var step = Math.Min(100 * Math.Pow(2, attempt - 1), 1000);
            for (var i = 0; i < 50; i++)
            {
                var delay = AlertBackoff.Delay(attempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), random).TotalMilliseconds;
                Assert.InRange(delay, step / 2, step);
            }
        }
    }

    [Theory]
    [InlineData("MaxAttempts", 0)]
    [InlineData("MaxParallel", 0)]
    [InlineData("Timeout", 0)]
    [InlineData("InitialBackoff", 0)]
    [InlineData("MaxBackoff", 0)]
    [InlineData("SweepPeriod", 0)]
    [InlineData("PublicUrl", 0)]
    [InlineData("DigestMaximumDelay", 0)]
    public void Options_that_cannot_work_are_refused(string field, int unused)
    {
        _ = unused;
        var options = new AlertDeliveryOptions();
        Assert.True(new AlertDeliveryOptionsValidator().Validate(null, options).Succeeded);
        switch (field)
        {
            case "MaxAttempts": options.MaxAttempts = 0; break;
            case "MaxParallel": options.MaxParallel = 0; break;
            case "Timeout": options.Timeout = TimeSpan.Zero; break;
            case "InitialBackoff": options.InitialBackoff = TimeSpan.Zero; break;
            case "MaxBackoff": options.MaxBackoff = TimeSpan.FromSeconds(1); break;
            case "SweepPeriod": options.SweepPeriod = TimeSpan.Zero; break;
            case "PublicUrl": options.PublicUrl = "not a url"; break;
            case "DigestMaximumDelay": options.DigestMinimumDelay = TimeSpan.FromMinutes(5); options.DigestMaximumDelay = TimeSpan.FromMinutes(1); break;
        }

        var result = new AlertDeliveryOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(field, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Port", "0")]
    [InlineData("Port", "70000")]
    [InlineData("Security", "tls1.3")]
    [InlineData("From", "not an address")]
    [InlineData("Password", "p4ss")]
    public void Smtp_settings_that_cannot_work_are_refused_without_quoting_the_password(string field, string value)
    {
        Assert.True(new SmtpOptionsValidator().Validate(null, new SmtpOptions()).Succeeded);
        var options = new SmtpOptions();
        switch (field)
        {
            case "Port": options.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "Security": options.Security = value; break;
            case "From": options.From = value; break;
            case "Password": options.Password = value; break;
        }

        var result = new SmtpOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(field, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ss", result.FailureMessage, StringComparison.Ordinal);
    }
}
