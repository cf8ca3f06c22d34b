using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// <c>webhooks:urls</c>: the callback URLs of Sentry's legacy webhooks plugin, newline-separated in the
/// API (<c>PUT …/plugins/webhooks/</c> with <c>{"urls": "a\nb"}</c>), stored as a list.
/// </summary>
public sealed class WebhookUrlsOption : NewlineListOption
{
    public static WebhookUrlsOption Instance { get; } = new();

    public override string Key => "webhooks:urls";

    /// <summary>Set through the plugin endpoint, not the project's options.</summary>
    public override bool InProjectDetails => false;

    protected override bool LowerCase => false;

    protected override string? ValidateLine(string line) => WebhookUrls.IsValid(line) ? null : WebhookUrls.InvalidMessage;
}
