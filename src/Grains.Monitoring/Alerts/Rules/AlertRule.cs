namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// A stored issue alert rule in Sentry's model (<c>Rule</c>: label, environment, status and the data
/// with conditions, filters, actions, match modes and frequency). Nodes are kept as Sentry's JSON
/// (<c>{"id": "&lt;class path&gt;", …params}</c>) exactly as validated, so the API reads back what was sent.
/// </summary>
public sealed record AlertRule
{
    /// <summary>0 until the store assigns one.</summary>
    public long Id { get; init; }

    public required long ProjectId { get; init; }

    /// <summary>The rule's name (Sentry's <c>label</c>), at most <see cref="RuleValidator.MaxNameLength"/> characters.</summary>
    public required string Label { get; init; }

    /// <summary>Only events of this environment are evaluated; null for every environment.</summary>
    public string? Environment { get; init; }

    /// <summary><see cref="RuleStatus.Active"/>, <see cref="RuleStatus.Disabled"/> or <see cref="RuleStatus.Deleted"/>.</summary>
    public string Status { get; init; } = RuleStatus.Active;

    /// <summary><c>all</c>, <c>any</c> or <c>none</c>, over the conditions.</summary>
    public string ActionMatch { get; init; } = RuleMatch.All;

    /// <summary><c>all</c>, <c>any</c> or <c>none</c>, over the filters.</summary>
    public string FilterMatch { get; init; } = RuleMatch.All;

    /// <summary>The per (rule, issue) throttle in minutes: the rule fires at most once per issue in this time.</summary>
    public int Frequency { get; init; } = RuleValidator.DefaultFrequency;

    /// <summary>A JSON array of condition nodes.</summary>
    public string ConditionsJson { get; init; } = "[]";

    /// <summary>A JSON array of filter nodes.</summary>
    public string FiltersJson { get; init; } = "[]";

    /// <summary>A JSON array of action nodes.</summary>
    public string ActionsJson { get; init; } = "[]";

    /// <summary><c>user:{id}</c> or <c>team:{id}</c>, or null.</summary>
    public string? Owner { get; init; }

    /// <summary>Who created the rule as Sentry's <c>{"id","name","email"}</c> JSON; null (Grains' API tokens are not users).</summary>
    public string? CreatedByJson { get; init; }

    public DateTimeOffset DateCreated { get; init; }

    /// <summary><c>api</c>, or <c>default</c> for the project's default rule (created at most once per project).</summary>
    public string Source { get; init; } = RuleSource.Api;
}
