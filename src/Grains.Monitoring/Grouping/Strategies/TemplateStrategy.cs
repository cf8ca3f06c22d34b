namespace Grains.Monitoring.Grouping.Strategies;

/// <summary>Template errors (Django/Jinja): template file basename plus the offending line.</summary>
internal static class TemplateStrategy
{
    public const string Name = "template";

    public static ComponentsByVariant? Build(StrategyContext context)
    {
        var grouping = context.Event;
        if (!grouping.HasTemplate)
        {
            return null;
        }

        var filename = new GroupingComponent("filename");
        if (grouping.TemplateFilename is { } name)
        {
            filename.SetValues(new[] { FrameStrategy.Basename(name) });
        }

        var contextLine = new GroupingComponent("context_line");
        if (grouping.TemplateContextLine is { } line)
        {
            contextLine.SetValues(new[] { line });
        }

        return ComponentsByVariant.Single("default", false, GroupingComponent.Node("template", new[] { filename, contextLine }));
    }
}
