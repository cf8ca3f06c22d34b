using System.Text.Json.Nodes;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// <c>quotas:spike-protection-disabled</c>: Sentry's project option that turns spike protection off for
/// one project (it is on by default). Set through <c>PUT /api/0/projects/{org}/{project}/</c> with
/// <c>{"options": {"quotas:spike-protection-disabled": true}}</c> and echoed in the project's options.
/// Accepts a boolean, <c>"1"</c>/<c>"0"</c>, <c>"true"</c>/<c>"false"</c> or 1/0; null resets it.
/// </summary>
public sealed class SpikeProtectionDisabledOption : BooleanProjectOption
{
    public static SpikeProtectionDisabledOption Instance { get; } = new();

    public override string Key => "quotas:spike-protection-disabled";

    public override bool InProjectDetails => true;

    protected override JsonNode? Format(bool value) => JsonValue.Create(value);
}
