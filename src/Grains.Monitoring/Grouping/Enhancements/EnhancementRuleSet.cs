using System.Collections.Concurrent;
using System.Reflection;

namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>
/// A parsed, immutable set of stack-trace rules ("enhancements"): the built-in base rules followed by
/// project rules. Rules are split once into classifier rules (in-app flags, categories) and
/// contribution rules (<c>+/-group</c>, frame limits), as Sentry does, so each pass only scans the
/// rules that can affect it. Instances are thread-safe and meant to be cached per configuration.
/// </summary>
public sealed class EnhancementRuleSet
{
    private const string DefaultResourceName = "Grains.Monitoring.Grouping.Enhancements.all-platforms@2026-01-20.txt";

    private static readonly Lazy<EnhancementRuleSet> DefaultSet = new(LoadDefault);
    private static readonly ConcurrentDictionary<string, EnhancementRuleSet> ProjectCache = new(StringComparer.Ordinal);

    private static long _lastIdentity;

    private EnhancementRuleSet(string id, IReadOnlyList<EnhancementRule> baseRules, IReadOnlyList<EnhancementRule> customRules)
    {
        Id = id;
        Identity = Interlocked.Increment(ref _lastIdentity);
        var all = baseRules.Concat(customRules).ToArray();
        RuleCount = all.Length;
        ClassifierRules = all.Select(r => r.Split(classifier: true)).OfType<EnhancementRule>().ToArray();
        ContributesRules = all.Select(r => r.Split(classifier: false)).OfType<EnhancementRule>().ToArray();
        CustomRuleTexts = customRules
            .SelectMany(r => new[] { r.Split(true), r.Split(false) })
            .OfType<EnhancementRule>()
            .Select(r => r.Text)
            .ToHashSet(StringComparer.Ordinal);
        ClassifierAppRules = ClassifierRules.Where(r => r.Actions.Any(a => a.Kind == EnhancementActionKind.App)).ToArray();
    }

    /// <summary>The built-in rules of <c>newstyle:2026-01-20</c> (<c>all-platforms@2026-01-20</c>), parsed once.</summary>
    public static EnhancementRuleSet Default => DefaultSet.Value;

    /// <summary>Identifier of the base rule set.</summary>
    public string Id { get; }

    /// <summary>
    /// Unique per instance in this process. Rule sets are immutable and a change of rules always builds a new
    /// instance, so caches of match results key on this: entries of replaced rules are never read again and
    /// age out (<see cref="Caching.GroupingCache"/>).
    /// </summary>
    internal long Identity { get; }

    /// <summary>Total number of rules (base plus project).</summary>
    public int RuleCount { get; }

    internal IReadOnlyList<EnhancementRule> ClassifierRules { get; }

    internal IReadOnlyList<EnhancementRule> ClassifierAppRules { get; }

    internal IReadOnlyList<EnhancementRule> ContributesRules { get; }

    /// <summary>Texts of the project's own rules, so hints can say "custom" versus "built-in".</summary>
    internal IReadOnlySet<string> CustomRuleTexts { get; }

    /// <summary>Parses rule text on its own (no base rules). Throws <see cref="EnhancementParseException"/>.</summary>
    public static EnhancementRuleSet Parse(string rulesText) =>
        new("custom", Array.Empty<EnhancementRule>(), EnhancementParser.Parse(rulesText));

    /// <summary>
    /// The default rules followed by the project's rules (project rules win because later rules override
    /// earlier ones). Results are cached by text. Throws <see cref="EnhancementParseException"/>.
    /// </summary>
    public static EnhancementRuleSet WithProjectRules(string? projectRules)
    {
        if (string.IsNullOrWhiteSpace(projectRules))
        {
            return Default;
        }

        if (ProjectCache.TryGetValue(projectRules, out var cached))
        {
            return cached;
        }

        var parsed = EnhancementParser.Parse(projectRules);
        var set = new EnhancementRuleSet(Default.Id, Default.BaseRules, parsed);
        if (ProjectCache.Count > 1024)
        {
            // Bounded: projects rarely change rules; a full reset is cheaper than LRU bookkeeping.
            ProjectCache.Clear();
        }

        ProjectCache[projectRules] = set;
        return set;
    }

    private IReadOnlyList<EnhancementRule> BaseRules { get; init; } = Array.Empty<EnhancementRule>();

    private static EnhancementRuleSet LoadDefault()
    {
        using var stream = typeof(EnhancementRuleSet).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {DefaultResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var rules = EnhancementParser.Parse(reader.ReadToEnd());
        return new EnhancementRuleSet("all-platforms:2026-01-20", rules, Array.Empty<EnhancementRule>())
        {
            BaseRules = rules,
        };
    }

    /// <summary>Loads the embedded default rules text (byte-identical to upstream).</summary>
    public static string DefaultRulesText()
    {
        using var stream = typeof(EnhancementRuleSet).Assembly.GetManifestResourceStream(DefaultResourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
