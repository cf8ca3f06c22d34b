namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>
/// For one frame and one rule set: the indexes of the rules whose frame-local matchers
/// (<see cref="EnhancementRule.MatchesFrame"/>) hold, per rule list, in rule order. A rule not listed cannot
/// match the frame whatever earlier rules did, so the rule passes only need to test the listed rules'
/// contextual matchers. Immutable; shared across events by <see cref="Caching.GroupingCache"/>.
/// </summary>
internal sealed class FrameRuleMatches
{
    private FrameRuleMatches(EnhancementRuleSet rules, int[] classifier, int[] classifierApp, int[] contributes)
    {
        Rules = rules;
        Classifier = classifier;
        ClassifierApp = classifierApp;
        Contributes = contributes;
    }

    /// <summary>The rule set the indexes refer to.</summary>
    public EnhancementRuleSet Rules { get; }

    /// <summary>Indexes into <see cref="EnhancementRuleSet.ClassifierRules"/>.</summary>
    public int[] Classifier { get; }

    /// <summary>Indexes into <see cref="EnhancementRuleSet.ClassifierAppRules"/>.</summary>
    public int[] ClassifierApp { get; }

    /// <summary>Indexes into <see cref="EnhancementRuleSet.ContributesRules"/>.</summary>
    public int[] Contributes { get; }

    /// <summary>Approximate heap size of this entry (for the cache's documentation and tests).</summary>
    public int ApproximateBytes => 48 + 3 * 24 + 4 * (Classifier.Length + ClassifierApp.Length + Contributes.Length);

    /// <summary>Tests every rule's frame-local matchers against frame <paramref name="index"/> of <paramref name="context"/>.</summary>
    public static FrameRuleMatches Compute(EnhancementRuleSet rules, FrameMatchContext context, int index) =>
        new(
            rules,
            Indexes(rules.ClassifierRules, context, index),
            Indexes(rules.ClassifierAppRules, context, index),
            Indexes(rules.ContributesRules, context, index));

    /// <summary>The rule list selected by <paramref name="list"/>.</summary>
    public int[] For(RuleList list) => list switch
    {
        RuleList.Classifier => Classifier,
        RuleList.ClassifierApp => ClassifierApp,
        _ => Contributes,
    };

    private static int[] Indexes(IReadOnlyList<EnhancementRule> rules, FrameMatchContext context, int index)
    {
        List<int>? found = null;
        for (var r = 0; r < rules.Count; r++)
        {
            if (rules[r].MatchesFrame(context, index))
            {
                (found ??= new List<int>()).Add(r);
            }
        }

        return found is null ? Array.Empty<int>() : found.ToArray();
    }
}

/// <summary>The rule lists of an <see cref="EnhancementRuleSet"/> a pass walks.</summary>
internal enum RuleList
{
    Classifier,
    ClassifierApp,
    Contributes,
}
