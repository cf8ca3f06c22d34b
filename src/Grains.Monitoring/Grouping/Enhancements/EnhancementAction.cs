namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>What an action changes.</summary>
internal enum EnhancementActionKind
{
    App,
    Group,
    Category,
    MaxFrames,
    MinFrames,
    InvertStacktrace,
}

/// <summary>Which frames a flag action applies to, relative to the matched frame.</summary>
internal enum EnhancementRange
{
    /// <summary>Only the matched frame.</summary>
    Self,

    /// <summary><c>^</c>: frames after it in the list, i.e. towards the crash (its callees).</summary>
    Up,

    /// <summary><c>v</c>: frames before it in the list, i.e. away from the crash (its callers).</summary>
    Down,
}

/// <summary>One action of a rule: <c>[^|v](+|-)(app|group)</c> or <c>name=value</c>.</summary>
internal sealed record EnhancementAction(EnhancementActionKind Kind, bool Flag, EnhancementRange Range, string? Value, int Number)
{
    /// <summary>Classifier actions set in-app and category before grouping; the rest shape contributions.</summary>
    public bool IsClassifier => Kind is EnhancementActionKind.App or EnhancementActionKind.Category;

    public string Text => Kind switch
    {
        EnhancementActionKind.App or EnhancementActionKind.Group =>
            (Range switch { EnhancementRange.Up => "^", EnhancementRange.Down => "v", _ => string.Empty })
            + (Flag ? "+" : "-") + (Kind == EnhancementActionKind.App ? "app" : "group"),
        EnhancementActionKind.Category => $"category={Value}",
        EnhancementActionKind.MaxFrames => $"max-frames={Number}",
        EnhancementActionKind.MinFrames => $"min-frames={Number}",
        _ => $"invert-stacktrace={(Flag ? "1" : "0")}",
    };

    /// <summary>Frame indexes the action touches when the rule matched frame <paramref name="index"/>.</summary>
    public (int Start, int End) Targets(int index, int count) => Range switch
    {
        EnhancementRange.Up => (index + 1, count),
        EnhancementRange.Down => (0, index),
        _ => (index, index + 1),
    };
}
