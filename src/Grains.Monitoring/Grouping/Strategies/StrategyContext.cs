using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>Per-event state shared by the strategies.</summary>
internal sealed class StrategyContext
{
    public StrategyContext(GroupingEvent grouping, EnhancementRuleSet enhancements)
    {
        Event = grouping;
        Enhancements = enhancements;
    }

    public GroupingEvent Event { get; }

    public EnhancementRuleSet Enhancements { get; }
}
