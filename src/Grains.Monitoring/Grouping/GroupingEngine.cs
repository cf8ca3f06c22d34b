using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grains.Monitoring.Grouping.Caching;
using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Fingerprinting;
using Grains.Monitoring.Grouping.Model;
using Grains.Monitoring.Grouping.Strategies;

namespace Grains.Monitoring.Grouping;

/// <summary>
/// Sentry-compatible event grouping (<c>newstyle:2026-01-20</c>). Pipeline per event:
/// normalise → stack-trace classifier rules → server fingerprint rules → checksum shortcut →
/// strategies in priority order (exception, threads, stack trace, template, message) → fingerprint
/// kind (default / hybrid / custom) → hashes. Stateless and thread-safe; the input is not modified.
/// </summary>
public static partial class GroupingEngine
{
    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Md5Hex();

    /// <summary>Computes all grouping variants and the ordered hash list for an event in Sentry's JSON shape.</summary>
    public static GroupingResult Compute(JsonObject evt, GroupingConfig? config = null) => Compute(evt, config, cache: null);

    /// <summary>
    /// As <see cref="Compute(JsonObject, GroupingConfig?)"/>, reusing stack-trace rule matching across events
    /// through <paramref name="cache"/> (same result with or without it).
    /// </summary>
    public static GroupingResult Compute(JsonObject evt, GroupingConfig? config, GroupingCache? cache)
    {
        ArgumentNullException.ThrowIfNull(evt);
        config ??= GroupingConfig.Default;
        var grouping = GroupingEvent.FromJson(evt);
        NormalizeStacktraces(grouping, config.Enhancements, cache);

        if (!string.IsNullOrEmpty(grouping.Checksum))
        {
            var checksumResult = ChecksumResult(config, grouping.Checksum);
            checksumResult.AttachClassified(evt, config.Enhancements, grouping);
            return checksumResult;
        }

        var clientFingerprint = grouping.Fingerprint;
        var (fingerprintInfo, title) = ApplyServerFingerprinting(grouping, config.FingerprintRules);

        var context = new StrategyContext(grouping, config.Enhancements);
        var variants = RunStrategies(context);

        var rawFingerprint = grouping.Fingerprint ?? new List<string> { FingerprintVariables.DefaultMarker };
        var kind = FingerprintVariables.KindOf(rawFingerprint);
        var resolved = kind == FingerprintKind.Default ? rawFingerprint : FingerprintVariables.Resolve(rawFingerprint, grouping);

        var result = new List<GroupingVariant>();
        if (kind == FingerprintKind.Custom)
        {
            var source = fingerprintInfo?["matched_rule"] is JsonObject rule
                ? (rule["is_builtin"]?.GetValue<bool>() == true ? "built-in" : "custom server")
                : "custom client";
            foreach (var (name, root) in variants)
            {
                root.Update($"ignored because {source} fingerprint takes precedence", false);
                result.Add(ComponentVariant(name, root));
            }

            var (variantName, variantKind, description) = source switch
            {
                "built-in" => ("built_in_fingerprint", GroupingVariantKind.BuiltInFingerprint, "Sentry defined fingerprint"),
                "custom server" => ("custom_server_fingerprint", GroupingVariantKind.CustomFingerprint, "custom server fingerprint"),
                _ => ("custom_client_fingerprint", GroupingVariantKind.CustomFingerprint, "custom client fingerprint"),
            };
            result.Add(new GroupingVariant(variantName, variantKind, GroupingHash.FromValues(resolved), description)
            {
                Values = resolved,
                HashedValues = resolved,
                FingerprintInfo = fingerprintInfo ?? ClientOnlyInfo(clientFingerprint),
            });
        }
        else if (kind == FingerprintKind.Hybrid)
        {
            foreach (var (name, root) in variants)
            {
                result.Add(SaltedVariant(name, root, resolved, fingerprintInfo ?? ClientOnlyInfo(clientFingerprint)));
            }
        }
        else
        {
            foreach (var (name, root) in variants)
            {
                result.Add(ComponentVariant(name, root));
            }
        }

        if (!result.Any(v => v.Contributes))
        {
            result.Add(new GroupingVariant("fallback", GroupingVariantKind.Fallback, GroupingHash.Empty, "fallback") { HashedValues = Array.Empty<string>() });
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var groupingResult = new GroupingResult(config.Id, result, OrderHashes(result), grouping.MainExceptionId, title);
        groupingResult.AttachClassified(evt, config.Enhancements, grouping);
        return groupingResult;
    }

    /// <summary>Hash order used for lookup: variant names alphabetically, <c>system</c> last, duplicates dropped.</summary>
    internal static IReadOnlyList<string> OrderHashes(IReadOnlyList<GroupingVariant> variants)
    {
        var hashes = new List<string>(variants.Count);
        foreach (var variant in variants.OrderBy(v => v.Name == "system" ? 1 : 0).ThenBy(v => v.Name, StringComparer.Ordinal))
        {
            if (variant.Hash is { } hash && !hashes.Contains(hash))
            {
                hashes.Add(hash);
            }
        }

        return hashes;
    }

    private static void NormalizeStacktraces(GroupingEvent grouping, EnhancementRuleSet enhancements, GroupingCache? cache)
    {
        foreach (var (stacktrace, exception) in grouping.AllStacktraces())
        {
            StacktraceEnhancer.ApplyClassifiers(enhancements, stacktrace.Frames, grouping.Platform, exception, cache);
            StacktraceEnhancer.NormalizeInApp(stacktrace.Frames);
        }
    }

    private static (JsonObject? Info, string? Title) ApplyServerFingerprinting(GroupingEvent grouping, FingerprintRuleSet rules)
    {
        var client = grouping.Fingerprint;
        var clientIsDefault = client is { Count: 1 } && FingerprintVariables.IsDefault(client[0]);
        JsonObject? info = null;
        if (client is { Count: > 0 } && !clientIsDefault)
        {
            info = ClientOnlyInfo(client);
        }

        string? title = null;
        var match = rules.FindMatch(new FingerprintEventValues(grouping));
        if (match is not null)
        {
            info ??= new JsonObject();
            info["matched_rule"] = match.ToJson();
            grouping.Fingerprint = match.Fingerprint.ToList();
            if (match.Title is not null)
            {
                title = FingerprintVariables.ExpandTemplate(match.Title, grouping);
            }
        }

        return (info, title);
    }

    private static JsonObject? ClientOnlyInfo(IReadOnlyList<string>? client) =>
        client is { Count: > 0 } && !(client.Count == 1 && FingerprintVariables.IsDefault(client[0]))
            ? new JsonObject { ["client_fingerprint"] = new JsonArray(client.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()) }
            : null;

    private static GroupingResult ChecksumResult(GroupingConfig config, string checksum)
    {
        var variant = Md5Hex().IsMatch(checksum)
            ? new GroupingVariant("checksum", GroupingVariantKind.Checksum, checksum, "legacy checksum") { Values = new[] { checksum } }
            : new GroupingVariant("hashed_checksum", GroupingVariantKind.HashedChecksum, GroupingHash.FromValues(new[] { checksum }), "hashed legacy checksum") { Values = new[] { checksum } };
        var variants = new[] { variant };
        return new GroupingResult(config.Id, variants, OrderHashes(variants), null, null);
    }

    private static GroupingVariant ComponentVariant(string name, GroupingComponent root)
    {
        // The hashed values once, for the hash and the variant (GetHash would collect them a second time).
        string[]? values = null;
        if (root.Contributes)
        {
            var collected = new List<string>();
            root.CollectContributingValues(collected);
            values = collected.ToArray();
        }

        return new GroupingVariant(name, GroupingVariantKind.Component, values is null ? null : GroupingHash.FromValues(values), Describe(name))
        {
            Component = root,
            Hint = root.Contributes ? null : root.Hint,
            HashedValues = values,
        };
    }

    private static GroupingVariant SaltedVariant(string name, GroupingComponent root, IReadOnlyList<string> fingerprint, JsonObject? info)
    {
        List<string>? hashed = null;
        if (root.Contributes)
        {
            hashed = new List<string>();
            foreach (var entry in fingerprint)
            {
                if (FingerprintVariables.IsDefault(entry))
                {
                    root.CollectContributingValues(hashed);
                }
                else
                {
                    hashed.Add(entry);
                }
            }
        }

        return new GroupingVariant(name, GroupingVariantKind.SaltedComponent, hashed is null ? null : GroupingHash.FromValues(hashed), Describe(name) + " and custom fingerprint")
        {
            Component = root,
            Hint = root.Contributes ? null : root.Hint,
            Values = fingerprint,
            HashedValues = hashed,
            FingerprintInfo = info,
        };
    }

    private static string Describe(string name) => name switch
    {
        "app" => "in-app",
        "system" => "system",
        _ => "default",
    };

    /// <summary>
    /// Runs every strategy in priority order; the first one with a contributing component wins and the
    /// others are kept in the tree but switched off with a "… takes precedence" hint.
    /// </summary>
    private static List<(string Name, GroupingComponent Root)> RunStrategies(StrategyContext context)
    {
        var strategies = new (string Name, Func<StrategyContext, ComponentsByVariant?> Build, bool StacktraceAware)[]
        {
            (ExceptionStrategy.Name, ExceptionStrategy.Build, true),
            (ThreadsStrategy.Name, ThreadsStrategy.Build, true),
            (StacktraceStrategy.Name, c => c.Event.Stacktrace is { } s ? StacktraceStrategy.Build(c, s, null) : null, true),
            (TemplateStrategy.Name, TemplateStrategy.Build, false),
            (MessageStrategy.Name, MessageStrategy.Build, false),
        };

        string? winner = null;
        string? precedenceHint = null;
        var byVariant = new List<(string Name, List<GroupingComponent> Components)>();
        foreach (var (strategyName, build, stacktraceAware) in strategies)
        {
            var output = build(context);
            if (output is null)
            {
                continue;
            }

            var components = PostProcess(output, stacktraceAware);
            foreach (var (variantName, component) in components)
            {
                var slot = byVariant.FindIndex(v => v.Name == variantName);
                if (slot < 0)
                {
                    byVariant.Add((variantName, new List<GroupingComponent>()));
                    slot = byVariant.Count - 1;
                }

                byVariant[slot].Components.Add(component);
                if (!component.Contributes)
                {
                    continue;
                }

                if (winner is null)
                {
                    winner = strategyName;
                    var descriptor = string.Join('/', components.Where(c => c.Component.Contributes).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
                    var subject = variantName != "default" ? $"{descriptor} {strategyName}" : strategyName;
                    precedenceHint = $"ignored because {subject} take{(strategyName.EndsWith('s') ? string.Empty : "s")} precedence";
                }
                else if (strategyName != winner)
                {
                    component.Update(precedenceHint, false);
                }
            }
        }

        var roots = new List<(string, GroupingComponent)>(byVariant.Count);
        foreach (var (name, components) in byVariant)
        {
            var root = GroupingComponent.Node(name, components);
            if (!root.Contributes && precedenceHint is not null)
            {
                root.Update(precedenceHint);
            }

            roots.Add((name, root));
        }

        return roots;
    }

    /// <summary>
    /// Top-level variant handling: a non-priority variant whose hash equals a priority variant's is
    /// switched off, and (for stack-trace-bearing strategies) variants without a contributing stack
    /// trace are switched off when another variant has one.
    /// </summary>
    private static List<(string Name, GroupingComponent Component)> PostProcess(ComponentsByVariant output, bool stacktraceAware)
    {
        var priorityHashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, priority, component) in output.Entries)
        {
            if (priority && component.Contributes && component.GetHash() is { } hash)
            {
                priorityHashes.TryAdd(hash, name);
            }
        }

        var result = new List<(string Name, GroupingComponent Component)>(output.Count);
        foreach (var (name, priority, component) in output.Entries)
        {
            if (!priority && component.Contributes && component.GetHash() is { } hash && priorityHashes.TryGetValue(hash, out var match))
            {
                component.Update($"ignored because hash matches {match} variant", false);
            }

            result.Add((name, component));
        }

        if (stacktraceAware && result.Count > 1)
        {
            var withStacktrace = result.Where(r => r.Component.HasContributingDescendant("stacktrace"))
                .Select(r => r.Name)
                .ToList();
            if (withStacktrace.Count > 0)
            {
                var suffix = withStacktrace.Count == 1 ? $"the {withStacktrace[0]} variant does" : "others do";
                foreach (var (name, component) in result)
                {
                    if (!withStacktrace.Contains(name))
                    {
                        component.Update($"ignored because this variant does not have a contributing stacktrace, but {suffix}", false);
                    }
                }
            }
        }

        return result;
    }
}
