namespace Grains.Monitoring.Alerts.Rules;

/// <summary>What a rule node's form field takes (Sentry's <c>formFields</c> types).</summary>
public enum RuleNodeFieldKind
{
    /// <summary>One of <see cref="RuleNodeField.Choices"/>.</summary>
    Choice,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A number (fractions allowed).</summary>
    Number,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>One of the project's enabled notification services (its choices depend on the project).</summary>
    Service,
}
