namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// One field of a rule node's form (Sentry's <c>formFields</c> of the rule configuration): what a UI
/// asks for to build a node the validator accepts.
/// </summary>
/// <param name="Name">The node's JSON property.</param>
/// <param name="Label">What the field asks, for a form label.</param>
/// <param name="Kind">What it takes.</param>
/// <param name="Choices">Value → label, in Sentry's order, for <see cref="RuleNodeFieldKind.Choice"/>; empty otherwise.</param>
/// <param name="Required">Whether the validator requires it (some are required only with another field's value).</param>
public sealed record RuleNodeField(string Name, string Label, RuleNodeFieldKind Kind, IReadOnlyList<KeyValuePair<string, string>> Choices, bool Required = true);
