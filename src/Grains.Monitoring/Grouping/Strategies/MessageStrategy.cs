using Grains.Monitoring.Grouping.Parameterization;

namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>Last resort: the log message template (else formatted text), trimmed and parameterized.</summary>
internal static class MessageStrategy
{
    public const string Name = "message";

    public static ComponentsByVariant? Build(StrategyContext context)
    {
        var grouping = context.Event;
        if (grouping.LogMessage is null && grouping.LogFormatted is null)
        {
            return null;
        }

        var raw = grouping.LogMessage ?? grouping.LogFormatted ?? string.Empty;
        var normalized = MessageNormalizer.Normalize(raw);
        var component = new GroupingComponent("message");
        component.SetValues(new[] { normalized }, raw != normalized ? "stripped event-specific values" : null);
        return ComponentsByVariant.Single("default", false, component);
    }
}
